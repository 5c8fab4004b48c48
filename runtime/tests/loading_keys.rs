//! `selectin` by keys of every kind a key has (text, UUID, 32- and 64-bit integers): on
//! PostgreSQL one array bind (`IN (SELECT UNNEST($1))`), elsewhere chunked `IN (..)`; same rows on every backend.

mod common;

use azoth::prelude::*;

azoth::model! {
    #[table = "lk_shops"]
    pub struct Shop {
        #[primary_key(manual)] #[max_len = 20] pub code: String,
    }
    relations { items: has_many(Item, Item::shop_code) }
}

azoth::model! {
    #[table = "lk_vendors"]
    pub struct Vendor {
        #[primary_key(manual)] pub token: uuid::Uuid,
    }
    relations { stamps: has_many(Stamp, Stamp::vendor_token) }
}

azoth::model! {
    #[table = "lk_stalls"]
    pub struct Stall {
        #[primary_key(manual)] pub small: i32,
    }
    relations { badges: has_many(Badge, Badge::stall_small) }
}

azoth::model! {
    #[table = "lk_items"]
    pub struct Item {
        #[primary_key] pub id: i64,
        #[max_len = 20] #[references(Shop::code)] #[index] pub shop_code: String,
    }
    relations { shop: belongs_to(Shop, Item::shop_code) }
}

azoth::model! {
    #[table = "lk_stamps"]
    pub struct Stamp {
        #[primary_key] pub id: i64,
        #[references(Vendor::token)] #[index] pub vendor_token: uuid::Uuid,
    }
}

azoth::model! {
    #[table = "lk_badges"]
    pub struct Badge {
        #[primary_key] pub id: i64,
        #[references(Stall::small)] #[index] pub stall_small: i32,
    }
}

type Models = (Shop, Item, Vendor, Stamp, Stall, Badge);

#[tokio::test]
async fn selectin_by_text_uuid_and_int_keys_loads_the_same_rows_everywhere() {
    for engine in common::engines("load_key_kinds").await {
        let db = common::name(&engine);
        engine.create_all::<Models>().await.unwrap();
        let mut s = engine.session();
        let token = |i: i32| uuid::Uuid::from_u128(u128::from(i.unsigned_abs()) + 1);
        s.execute(insert_many((0..700).map(|i| NewShop {
            code: format!("s{i:03}"),
        })))
        .await
        .unwrap();
        s.execute(insert_many((0..700).map(|i| NewVendor { token: token(i) })))
            .await
            .unwrap();
        s.execute(insert_many((0..700).map(|i| NewStall { small: i })))
            .await
            .unwrap();
        // Every third parent has one child.
        s.execute(insert_many((0..700).step_by(3).map(|i| NewItem {
            shop_code: format!("s{i:03}"),
        })))
        .await
        .unwrap();
        s.execute(insert_many((0..700).step_by(3).map(|i| NewStamp {
            vendor_token: token(i),
        })))
        .await
        .unwrap();
        s.execute(insert_many(
            (0..700).step_by(3).map(|i| NewBadge { stall_small: i }),
        ))
        .await
        .unwrap();

        // 700 keys: one array on PostgreSQL, two IN lists of at most 500 elsewhere.
        let per_level = if engine.backend() == Backend::Postgres {
            1
        } else {
            2
        };
        let before = engine.statements_run();
        let shops = s
            .all(
                Shop::select()
                    .order_by(Shop::code)
                    .options(selectin(Shop::items)),
            )
            .await
            .unwrap();
        let vendors = s
            .all(Vendor::select().options(selectin(Vendor::stamps)))
            .await
            .unwrap();
        let stalls = s
            .all(
                Stall::select()
                    .order_by(Stall::small)
                    .options(selectin(Stall::badges)),
            )
            .await
            .unwrap();
        assert_eq!(
            engine.statements_run() - before,
            3 * (1 + per_level),
            "{db}"
        );
        assert_eq!(
            (shops.len(), vendors.len(), stalls.len()),
            (700, 700, 700),
            "{db}"
        );
        for (i, shop) in shops.iter().enumerate() {
            let items = shop.get(Shop::items);
            assert_eq!(
                items.len(),
                usize::from(i.is_multiple_of(3)),
                "{db}: {}",
                shop.code
            );
            assert!(items.iter().all(|it| it.shop_code == shop.code), "{db}");
        }
        for v in &vendors {
            let stamps = v.get(Vendor::stamps);
            let i = (v.token.as_u128() - 1) as usize;
            assert_eq!(
                stamps.len(),
                usize::from(i.is_multiple_of(3)),
                "{db}: {}",
                v.token
            );
            assert!(stamps.iter().all(|st| st.vendor_token == v.token), "{db}");
        }
        for st in &stalls {
            let badges = st.get(Stall::badges);
            assert_eq!(
                badges.len(),
                usize::from(st.small % 3 == 0),
                "{db}: {}",
                st.small
            );
            assert!(badges.iter().all(|b| b.stall_small == st.small), "{db}");
        }

        // Many-to-one by a text key: the items ask for their shops.
        let items = s
            .all(
                Item::select()
                    .order_by(Item::id)
                    .options(selectin(Item::shop)),
            )
            .await
            .unwrap();
        assert_eq!(items.len(), 234, "{db}");
        assert!(
            items
                .iter()
                .all(|it| it.get(Item::shop).code == it.shop_code),
            "{db}"
        );

        // A chunk size the user sets holds on PostgreSQL too.
        let before = engine.statements_run();
        s.all(Shop::select().options(selectin(Shop::items).chunk_size(100)))
            .await
            .unwrap();
        assert_eq!(engine.statements_run() - before, 1 + 7, "{db}");
    }
}
