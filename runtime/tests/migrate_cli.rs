//! `azoth::migrate::cli_with`: the commands of the migration tool, on every backend.

use azoth::Backend;

azoth::model! {
    #[table = "mig_cli_notes"]
    pub struct Note {
        #[primary_key] pub id: i64,
        pub body: String,
    }
}

async fn cli(url: &str, source: &std::path::Path, args: &[&str]) -> azoth::Result<String> {
    let mut all = vec!["--database-url".to_owned(), url.to_owned()];
    all.push("--source".into());
    all.push(source.display().to_string());
    all.extend(args.iter().map(|a| a.to_string()));
    let mut out = Vec::new();
    azoth::migrate::cli_with::<(Note,)>(all, &mut out).await?;
    Ok(String::from_utf8(out).unwrap())
}

#[tokio::test]
async fn mig_cli_generates_runs_reports_and_reverts() {
    for te in azoth::testing::engines("mig_cli").await {
        let backend = te.backend();
        let tmp = std::env::temp_dir().join(format!(
            "azoth-mig-cli-{}-{}",
            backend.name(),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).unwrap();
        // An in-memory SQLite database lives as long as one pool: the tool gets a file.
        let url = match backend {
            Backend::Sqlite => format!("sqlite:{}?mode=rwc", tmp.join("db.sqlite").display()),
            _ => te.url().to_owned(),
        };
        let src = tmp.join("migrations");
        let db = backend.name();

        assert_eq!(
            cli(&url, &src, &["diff"]).await.unwrap(),
            "create table mig_cli_notes\n",
            "{db}"
        );
        let wrote = cli(&url, &src, &["generate", "create notes"])
            .await
            .unwrap();
        assert!(wrote.starts_with("wrote "), "{db}: {wrote}");
        let dir = azoth::migrate::backend_dir(&src, backend);
        let files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(files.len(), 2, "{db}: {files:?}");
        assert!(
            files
                .iter()
                .all(|f| f.ends_with("_create_notes.up.sql")
                    || f.ends_with("_create_notes.down.sql")),
            "{db}: {files:?}"
        );
        let version = files[0].split('_').next().unwrap().to_owned();

        let dry = cli(&url, &src, &["run", "--dry-run"]).await.unwrap();
        assert!(
            dry.starts_with(&format!("-- version {version}\n")) && dry.contains("CREATE TABLE"),
            "{db}: {dry}"
        );
        assert_eq!(
            cli(&url, &src, &["status"]).await.unwrap(),
            format!("pending {version}_create notes\n"),
            "{db}"
        );
        assert_eq!(
            cli(&url, &src, &["run"]).await.unwrap(),
            format!("applied {version}\n"),
            "{db}"
        );
        assert_eq!(
            cli(&url, &src, &["status"]).await.unwrap(),
            format!("applied {version}_create notes\n"),
            "{db}"
        );
        assert_eq!(cli(&url, &src, &["diff"]).await.unwrap(), "", "{db}");
        assert_eq!(
            cli(&url, &src, &["generate", "again"]).await.unwrap(),
            "the database matches the models: no migration written\n",
            "{db}"
        );
        let models = cli(&url, &src, &["models"]).await.unwrap();
        assert!(
            models.contains(
                "azoth::model! {\n    pub struct MigCliNotes {\n        #[primary_key] pub id: i64,"
            ),
            "{db}: {models}"
        );
        // An applied file edited afterwards: sqlx's checksum catches it.
        let up = dir.join(files.iter().find(|f| f.ends_with(".up.sql")).unwrap());
        let original = std::fs::read_to_string(&up).unwrap();
        std::fs::write(&up, format!("{original}-- edited\n")).unwrap();
        assert_eq!(
            cli(&url, &src, &["status"]).await.unwrap(),
            format!("applied {version}_create notes (file changed since applied)\n"),
            "{db}"
        );
        let changed = cli(&url, &src, &["run"]).await.unwrap_err();
        assert!(
            matches!(changed, azoth::Error::Migrate(_)),
            "{db}: {changed}"
        );
        assert!(
            changed
                .to_string()
                .contains("was previously applied but has been modified"),
            "{db}: {changed}"
        );
        std::fs::write(&up, original).unwrap();
        assert_eq!(
            cli(&url, &src, &["revert"]).await.unwrap(),
            format!("reverted {version}\n"),
            "{db}"
        );
        assert_eq!(
            cli(&url, &src, &["revert"]).await.unwrap(),
            "nothing to revert\n",
            "{db}"
        );

        let bad = cli(&url, &src, &["upgrade"]).await.unwrap_err();
        assert!(matches!(bad, azoth::Error::Migration(_)), "{db}");
        assert!(
            bad.to_string().contains("unknown command `upgrade`"),
            "{db}: {bad}"
        );
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
