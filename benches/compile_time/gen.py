#!/usr/bin/env python3
"""Writes two crates with the same generated schema and queries, one on azoth, one on Diesel:
30 tables of 12 columns (each table's `p_id` refers to the previous table) and 100 typed queries
(a join of two tables, a filter, an order, a limit, read into a tuple). Used by `run.sh`.

Usage: gen.py OUT_DIR REPO_DIR"""
import os
import sys

TABLES, QUERIES = 30, 100
# (name, Rust type, Diesel SQL type) of the ten data columns c1..c10.
COLS = [
    ("String", "Text"), ("i32", "Integer"), ("i64", "BigInt"), ("Option<String>", "Nullable<Text>"),
    ("f64", "Double"), ("bool", "Bool"), ("String", "Text"), ("i32", "Integer"), ("i64", "BigInt"),
    ("Option<String>", "Nullable<Text>"),
]


def queries():
    """(index, left table, right table) of each query: right refers to left."""
    for q in range(QUERIES):
        k = q % (TABLES - 1)
        yield q, k, k + 1


def azoth(out, repo):
    src = ["use azoth::prelude::*;", ""]
    for t in range(TABLES):
        fields = [f"        #[primary_key] pub id: i64,", f"        pub p_id: i64,"]
        fields += [f"        pub c{i + 1}: {ty}," for i, (ty, _) in enumerate(COLS)]
        src += ["azoth::model! {", f"    #[table = \"t{t}\"]", f"    pub struct T{t} {{", *fields, "    }", "}", ""]
    src += ["/// Runs every query once.", "pub async fn run(engine: &Engine) -> azoth::Result<usize> {",
            "    let mut s = engine.session();", "    let mut n = 0;"]
    for q, a, b in queries():
        src += [
            f"    let r{q}: Vec<(String, i32)> = s",
            f"        .all(select((T{a}::c1, T{b}::c2)).join(T{b}::TABLE.on(T{b}::p_id.eq(T{a}::id)))",
            f"            .filter(T{a}::c2.gt({q})).order_by(T{a}::id).limit(10))",
            "        .await?;",
            f"    n += r{q}.len();",
        ]
    # `run` is compiled as in a program that calls it (`let _ = run;` alone leaves it uncompiled,
    # and Diesel's then costs no code generation at all).
    src += ["    Ok(n)", "}", "", "fn main() {",
            "    type Run = fn(&'static Engine) -> std::pin::Pin<Box<dyn Future<Output = azoth::Result<usize>>>>;",
            "    std::hint::black_box::<Run>(|e| Box::pin(run(e)));", "}", ""]
    write(out, "azoth_schema", f'azoth = {{ path = "{repo}/runtime" }}\n', "\n".join(src))


def diesel(out):
    src = ["use diesel::prelude::*;", ""]
    for t in range(TABLES):
        cols = ["        id -> BigInt,", "        p_id -> BigInt,"]
        cols += [f"        c{i + 1} -> {st}," for i, (_, st) in enumerate(COLS)]
        src += ["diesel::table! {", f"    t{t} (id) {{", *cols, "    }", "}", ""]
    for t in range(1, TABLES):
        src.append(f"diesel::joinable!(t{t} -> t{t - 1} (p_id));")
    src.append("diesel::allow_tables_to_appear_in_same_query!(" + ", ".join(f"t{t}" for t in range(TABLES)) + ");")
    src += ["", "/// Runs every query once.", "pub fn run(conn: &mut SqliteConnection) -> QueryResult<usize> {",
            "    let mut n = 0;"]
    for q, a, b in queries():
        src += [
            f"    let r{q}: Vec<(String, i32)> = t{a}::table.inner_join(t{b}::table)",
            f"        .select((t{a}::c1, t{b}::c2)).filter(t{a}::c2.gt({q})).order(t{a}::id).limit(10)",
            "        .load(conn)?;",
            f"    n += r{q}.len();",
        ]
    src += ["    Ok(n)", "}", "", "fn main() {",
            "    std::hint::black_box(run as fn(&mut SqliteConnection) -> QueryResult<usize>);", "}", ""]
    write(out, "diesel_schema", 'diesel = { version = "2.3", default-features = false, features = ["sqlite"] }\n',
          "\n".join(src))


def write(out, name, dep, main):
    d = os.path.join(out, name)
    os.makedirs(os.path.join(d, "src"), exist_ok=True)
    with open(os.path.join(d, "Cargo.toml"), "w") as f:
        f.write(f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
                f"[dependencies]\n{dep}\n# Not a member of the repository's workspace.\n[workspace]\n")
    with open(os.path.join(d, "src", "main.rs"), "w") as f:
        f.write(main)


if __name__ == "__main__":
    out, repo = sys.argv[1], os.path.abspath(sys.argv[2])
    azoth(out, repo)
    diesel(out)
