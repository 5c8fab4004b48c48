//! A `case_when` inside a relationship condition reads the related rows, not the outer ones: on a
//! self-referential relationship the EXISTS reads the table under an alias, and the CASE must read
//! it there too (it read the outer row, a wrong answer with no error); on every backend.

mod common;

use azoth::prelude::*;

azoth::model! {
    #[table = "case_emp"]
    pub struct Emp {
        #[primary_key(manual)] pub id: i64,
        pub name: String,
        #[references(Emp::id)] pub reports_to: Option<i64>,
    }
    relations { reports: has_many(Emp, Emp::reports_to) }
}

#[tokio::test]
async fn case_inside_any_reads_the_related_rows() {
    for engine in common::engines("case_in_relationship").await {
        let db = common::name(&engine);
        engine.create_all::<(Emp,)>().await.unwrap();
        let mut s = engine.session();
        for (id, name, boss) in [(1, "ann", None), (2, "bob", Some(1)), (3, "cat", Some(2))] {
            s.execute(insert(NewEmp {
                id,
                name: name.into(),
                reports_to: boss,
            }))
            .await
            .unwrap();
        }
        // Who has a report named bob? ann. (Reading the outer row gave bob, who has a report.)
        let bobs_boss: Vec<String> = s
            .all(
                select(Emp::name)
                    .filter(
                        Emp::reports.any(
                            case_when(Emp::name.eq("bob"), 1i64)
                                .otherwise(0i64)
                                .eq(1i64),
                        ),
                    )
                    .order_by(Emp::id),
            )
            .await
            .unwrap();
        assert_eq!(bobs_boss, ["ann"], "{db}");
        let plain: Vec<String> = s
            .all(select(Emp::name).filter(Emp::reports.any(Emp::name.eq("bob"))))
            .await
            .unwrap();
        assert_eq!(bobs_boss, plain, "{db}: the same as without the CASE");
    }
}
