//! The `model!` macro: one declaration gives the row struct, the new-row struct and its builder,
//! one zero-sized type per column, the table marker and the metadata.
//!
//! It is a `macro_rules!` macro (with `paste` for names), so a user's build pulls in no `syn`.
//! Struct attributes, then each field's attributes, are read one at a time into a fixed-shape
//! state; attributes azoth does not know are kept for the row struct. Everything is emitted by one
//! rule with plain repetitions.

/// Declares a table-mapped model.
///
/// ```
/// use azoth_dsl::prelude::*;
///
/// azoth_dsl::model! {
///     /// A track of the Chinook sample database.
///     #[table = "Track"]
///     pub struct Track {
///         #[primary_key] #[column = "TrackId"] pub id: i64,
///         #[column = "Name"] #[max_len = 200] pub name: String,
///         #[column = "Composer"] pub composer: Option<String>,
///         #[column = "Milliseconds"] pub milliseconds: i32,
///         #[column = "UnitPrice"] #[server_default(rust_decimal::Decimal::ONE)] pub unit_price: rust_decimal::Decimal,
///     }
/// }
///
/// // The row struct, one column type per field, a struct for new rows:
/// let new = NewTrack { name: "Intro".into(), composer: None, milliseconds: 61_000, unit_price: None };
/// let (sql, _) = insert(new).to_sql(Backend::Postgres);
/// assert_eq!(sql, r#"INSERT INTO "Track" ("Name", "Composer", "Milliseconds") VALUES ($1, $2, $3)"#);
/// assert_eq!(Track::META.primary_key().map(|c| c.name).collect::<Vec<_>>(), ["TrackId"]);
/// // .. or only the required fields, through the builder:
/// let short = NewTrack::builder().name("Intro").composer(None).milliseconds(61_000).build();
/// assert_eq!(short.unit_price, None);
/// ```
///
/// Field attributes: `#[primary_key]` (an integer key the database generates; left out of
/// `NewX`), `#[primary_key(manual)]` (a key the application supplies; composite keys),
/// `#[column = "Name"]`, `#[default(expr)]` (a client default: `expr` is evaluated in Rust for
/// each inserted row that leaves the field `None`; never in the DDL), `#[server_default(expr)]`
/// (a constant or `now()`, evaluated at compile time and written into the table's DDL; a row
/// leaving the field `None` leaves the column out), `#[max_len = n]`, `#[unique]`, `#[index]`,
/// `#[references(Model::column)]` with an optional `on_delete = cascade | set_null | restrict |
/// no_action`, `#[new(attr)]` (an attribute for this field of `NewX`), and doc comments.
/// Struct attributes: `#[table = "name"]` (default: the struct name in snake case),
/// `#[new(attr)]` (an attribute for `NewX`, e.g. `#[new(derive(serde::Deserialize))]`) and doc
/// comments. Any other attribute (`#[derive(serde::Serialize)]`, `#[serde(rename = "..")]`) is
/// kept on the row struct or its field, which always derive `Debug`, `Clone` and `PartialEq`
/// (so do `NewX`'s); a misspelt azoth attribute is then rustc's "cannot find attribute".
#[macro_export]
macro_rules! model {
    (
        $(#[$($tattr:tt)*])*
        $vis:vis struct $name:ident {
            $(
                $(#[$($fattr:tt)*])*
                $fvis:vis $field:ident : $fty:ty
            ),* $(,)?
        }
        $(relations { $( $(#[doc = $rdoc:literal])* $rname:ident : $rkind:ident ( $($rargs:tt)* ) ),* $(,)? })?
    ) => {
        $crate::__model! {
            @sattr
            header { $vis $name [$($( [$($rdoc)*] $rname $rkind ($($rargs)*))*)?] }
            sstate [] [] [] []
            attrs { $([$($tattr)*])* }
            rest { $( { [$([$($fattr)*])*] $fvis $field $fty } )* }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __model {
    // Struct attributes, one at a time. State: [docs] [table] [row struct attrs] [NewX attrs].
    (@sattr header $h:tt sstate [$($d:tt)*] $t:tt $r:tt $n:tt attrs { [doc = $x:literal] $($more:tt)* } rest $rest:tt) => {
        $crate::__model! { @sattr header $h sstate [$($d)* $x] $t $r $n attrs { $($more)* } rest $rest }
    };
    (@sattr header $h:tt sstate $d:tt $t:tt $r:tt $n:tt attrs { [table = $x:literal] $($more:tt)* } rest $rest:tt) => {
        $crate::__model! { @sattr header $h sstate $d [$x] $r $n attrs { $($more)* } rest $rest }
    };
    (@sattr header $h:tt sstate $d:tt $t:tt $r:tt $n:tt attrs { [table $($x:tt)*] $($more:tt)* } rest $rest:tt) => {
        ::core::compile_error!(::core::concat!(
            "malformed model attribute `#[table", ::core::stringify!($($x)*), "]`; expected `#[table = \"name\"]`"
        ));
    };
    (@sattr header $h:tt sstate $d:tt $t:tt $r:tt [$($n:tt)*] attrs { [new($($a:tt)*)] $($more:tt)* } rest $rest:tt) => {
        $crate::__model! { @sattr header $h sstate $d $t $r [$($n)* [$($a)*]] attrs { $($more)* } rest $rest }
    };
    (@sattr header $h:tt sstate $d:tt $t:tt $r:tt $n:tt attrs { [new $($x:tt)*] $($more:tt)* } rest $rest:tt) => {
        ::core::compile_error!(::core::concat!(
            "malformed model attribute `#[new", ::core::stringify!($($x)*), "]`; expected `#[new(attribute)]`, e.g. `#[new(derive(serde::Deserialize))]`"
        ));
    };
    (@sattr header $h:tt sstate $d:tt $t:tt [$($r:tt)*] $n:tt attrs { [$($other:tt)*] $($more:tt)* } rest $rest:tt) => {
        $crate::__model! { @sattr header $h sstate $d $t [$($r)* [$($other)*]] $n attrs { $($more)* } rest $rest }
    };
    (@sattr header { $vis:vis $name:ident $rels:tt } sstate $d:tt $t:tt $r:tt $n:tt attrs {} rest $rest:tt) => {
        $crate::__model! {
            @next
            ctx { header { $d $t $r $n $vis $name $rels } done {} new {} req {} opt {} keys {} }
            rest $rest
        }
    };

    // Next field: start reading its attributes.
    (@next ctx $ctx:tt rest { { [$($a:tt)*] $fvis:vis $field:ident $fty:ty } $($rest:tt)* }) => {
        $crate::__model! {
            @attr ctx $ctx rest { $($rest)* } field { $fvis $field $fty }
            state [[] [] [none] [] [] [] [false] [false] []]
            keep { [] [] }
            attrs { $($a)* }
        }
    };
    // No field left: emit.
    (@next ctx { header $h:tt done $d:tt new $n:tt req $rq:tt opt $o:tt keys $k:tt } rest {}) => {
        $crate::__model! { @emit $h $d $n $rq $o $k }
    };

    // Attributes, one at a time. State: [docs column pk default server_default max_len unique
    // index references]; keep: [row field attrs] [NewX field attrs].
    (@attr ctx $c:tt rest $r:tt field $f:tt state [[$($docs:tt)*] $col:tt $pk:tt $def:tt $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep $k:tt
        attrs { [doc = $d:literal] $($more:tt)* }) => {
        $crate::__model! { @attr ctx $c rest $r field $f state [[$($docs)* $d] $col $pk $def $sdef $ml $uq $ix $refs] keep $k attrs { $($more)* } }
    };
    (@attr ctx $c:tt rest $r:tt field $f:tt state [$docs:tt $col:tt $pk:tt $def:tt $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep $k:tt
        attrs { [column = $name:literal] $($more:tt)* }) => {
        $crate::__model! { @attr ctx $c rest $r field $f state [$docs [$name] $pk $def $sdef $ml $uq $ix $refs] keep $k attrs { $($more)* } }
    };
    (@attr ctx { header $h:tt done $d:tt new $n:tt req $rq:tt opt $o:tt keys { $($k:tt)* } } rest $r:tt
        field { $fvis:vis $field:ident $fty:ty } state [$docs:tt $col:tt $pk:tt $def:tt $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep $kp:tt
        attrs { [primary_key] $($more:tt)* }) => {
        $crate::__model! {
            @attr ctx { header $h done $d new $n req $rq opt $o keys { $($k)* { $field $fty } } } rest $r
            field { $fvis $field $fty } state [$docs $col [auto] $def $sdef $ml $uq $ix $refs] keep $kp attrs { $($more)* }
        }
    };
    (@attr ctx { header $h:tt done $d:tt new $n:tt req $rq:tt opt $o:tt keys { $($k:tt)* } } rest $r:tt
        field { $fvis:vis $field:ident $fty:ty } state [$docs:tt $col:tt $pk:tt $def:tt $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep $kp:tt
        attrs { [primary_key(manual)] $($more:tt)* }) => {
        $crate::__model! {
            @attr ctx { header $h done $d new $n req $rq opt $o keys { $($k)* { $field $fty } } } rest $r
            field { $fvis $field $fty } state [$docs $col [manual] $def $sdef $ml $uq $ix $refs] keep $kp attrs { $($more)* }
        }
    };
    (@attr ctx $c:tt rest $r:tt field $f:tt state [$docs:tt $col:tt $pk:tt $def:tt $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep $k:tt
        attrs { [default($($e:tt)+)] $($more:tt)* }) => {
        $crate::__model! { @attr ctx $c rest $r field $f state [$docs $col $pk [$($e)+] $sdef $ml $uq $ix $refs] keep $k attrs { $($more)* } }
    };
    (@attr ctx $c:tt rest $r:tt field $f:tt state [$docs:tt $col:tt $pk:tt $def:tt $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep $k:tt
        attrs { [server_default($($e:tt)+)] $($more:tt)* }) => {
        $crate::__model! { @attr ctx $c rest $r field $f state [$docs $col $pk $def [$($e)+] $ml $uq $ix $refs] keep $k attrs { $($more)* } }
    };
    (@attr ctx $c:tt rest $r:tt field $f:tt state [$docs:tt $col:tt $pk:tt $def:tt $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep $k:tt
        attrs { [max_len = $n:literal] $($more:tt)* }) => {
        $crate::__model! { @attr ctx $c rest $r field $f state [$docs $col $pk $def $sdef [$n] $uq $ix $refs] keep $k attrs { $($more)* } }
    };
    (@attr ctx $c:tt rest $r:tt field $f:tt state [$docs:tt $col:tt $pk:tt $def:tt $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep $k:tt
        attrs { [unique] $($more:tt)* }) => {
        $crate::__model! { @attr ctx $c rest $r field $f state [$docs $col $pk $def $sdef $ml [true] $ix $refs] keep $k attrs { $($more)* } }
    };
    (@attr ctx $c:tt rest $r:tt field $f:tt state [$docs:tt $col:tt $pk:tt $def:tt $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep $k:tt
        attrs { [index] $($more:tt)* }) => {
        $crate::__model! { @attr ctx $c rest $r field $f state [$docs $col $pk $def $sdef $ml $uq [true] $refs] keep $k attrs { $($more)* } }
    };
    (@attr ctx $c:tt rest $r:tt field $f:tt state [$docs:tt $col:tt $pk:tt $def:tt $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep $k:tt
        attrs { [references($m:ident :: $rc:ident)] $($more:tt)* }) => {
        $crate::__model! { @attr ctx $c rest $r field $f state [$docs $col $pk $def $sdef $ml $uq $ix [$m $rc no_action]] keep $k attrs { $($more)* } }
    };
    (@attr ctx $c:tt rest $r:tt field $f:tt state [$docs:tt $col:tt $pk:tt $def:tt $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep $k:tt
        attrs { [references($m:ident :: $rc:ident, on_delete = $od:ident)] $($more:tt)* }) => {
        $crate::__model! { @attr ctx $c rest $r field $f state [$docs $col $pk $def $sdef $ml $uq $ix [$m $rc $od]] keep $k attrs { $($more)* } }
    };
    (@attr ctx $c:tt rest $r:tt field $f:tt state $s:tt keep { $kr:tt [$($kn:tt)*] } attrs { [new($($a:tt)*)] $($more:tt)* }) => {
        $crate::__model! { @attr ctx $c rest $r field $f state $s keep { $kr [$($kn)* [$($a)*]] } attrs { $($more)* } }
    };
    // An azoth attribute in another shape: say which shapes exist.
    (@attr ctx $c:tt rest $r:tt field $f:tt state $s:tt keep $k:tt attrs { [column $($x:tt)*] $($more:tt)* }) => { $crate::__model_bad_attr!(column $($x)*); };
    (@attr ctx $c:tt rest $r:tt field $f:tt state $s:tt keep $k:tt attrs { [primary_key $($x:tt)*] $($more:tt)* }) => { $crate::__model_bad_attr!(primary_key $($x)*); };
    (@attr ctx $c:tt rest $r:tt field $f:tt state $s:tt keep $k:tt attrs { [default $($x:tt)*] $($more:tt)* }) => { $crate::__model_bad_attr!(default $($x)*); };
    (@attr ctx $c:tt rest $r:tt field $f:tt state $s:tt keep $k:tt attrs { [server_default $($x:tt)*] $($more:tt)* }) => { $crate::__model_bad_attr!(server_default $($x)*); };
    (@attr ctx $c:tt rest $r:tt field $f:tt state $s:tt keep $k:tt attrs { [max_len $($x:tt)*] $($more:tt)* }) => { $crate::__model_bad_attr!(max_len $($x)*); };
    (@attr ctx $c:tt rest $r:tt field $f:tt state $s:tt keep $k:tt attrs { [unique $($x:tt)+] $($more:tt)* }) => { $crate::__model_bad_attr!(unique $($x)*); };
    (@attr ctx $c:tt rest $r:tt field $f:tt state $s:tt keep $k:tt attrs { [index $($x:tt)+] $($more:tt)* }) => { $crate::__model_bad_attr!(index $($x)*); };
    (@attr ctx $c:tt rest $r:tt field $f:tt state $s:tt keep $k:tt attrs { [references $($x:tt)*] $($more:tt)* }) => { $crate::__model_bad_attr!(references $($x)*); };
    (@attr ctx $c:tt rest $r:tt field $f:tt state $s:tt keep $k:tt attrs { [new $($x:tt)*] $($more:tt)* }) => { $crate::__model_bad_attr!(new $($x)*); };
    (@attr ctx $c:tt rest $r:tt field $f:tt state $s:tt keep $k:tt attrs { [cfg $($x:tt)*] $($more:tt)* }) => {
        ::core::compile_error!("a model field cannot be conditional (`#[cfg(..)]`): the table's columns are fixed; declare another model instead");
    };
    // Any other attribute is the row struct's (a derive helper such as `#[serde(..)]`, `#[allow]`).
    (@attr ctx $c:tt rest $r:tt field $f:tt state $s:tt keep { [$($kr:tt)*] $kn:tt } attrs { [$($other:tt)*] $($more:tt)* }) => {
        $crate::__model! { @attr ctx $c rest $r field $f state $s keep { [$($kr)* [$($other)*]] $kn } attrs { $($more)* } }
    };

    // Attributes read: record the field. `NewX` leaves out generated keys; a field with a client
    // or server default is `Option` there (and optional in the builder); the others are required.
    (@attr ctx { header $h:tt done { $($d:tt)* } new $n:tt req $rq:tt opt $o:tt keys $k:tt } rest $r:tt field { $fvis:vis $field:ident $fty:ty }
        state [$docs:tt $col:tt [auto] $def:tt $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep { [$($kr:tt)*] $kn:tt } attrs {}) => {
        $crate::__model! {
            @next
            ctx { header $h done { $($d)* { $fvis $field $fty $docs $col [auto] $sdef $ml $uq $ix $refs [$($kr)*] } } new $n req $rq opt $o keys $k }
            rest $r
        }
    };
    (@attr ctx { header $h:tt done { $($d:tt)* } new { $($n:tt)* } req $rq:tt opt { $($o:tt)* } keys $k:tt } rest $r:tt field { $fvis:vis $field:ident $fty:ty }
        state [$docs:tt $col:tt $pk:tt [$($def:tt)+] $sdef:tt $ml:tt $uq:tt $ix:tt $refs:tt] keep { [$($kr:tt)*] [$($kn:tt)*] } attrs {}) => {
        $crate::__model! {
            @next
            ctx { header $h done { $($d)* { $fvis $field $fty $docs $col $pk $sdef $ml $uq $ix $refs [$($kr)*] } }
                  new { $($n)* { [client $($def)+] $fvis $field $fty [::core::option::Option<$fty>] [$($kn)*] } } req $rq opt { $($o)* { $field $fty } } keys $k }
            rest $r
        }
    };
    (@attr ctx { header $h:tt done { $($d:tt)* } new { $($n:tt)* } req $rq:tt opt { $($o:tt)* } keys $k:tt } rest $r:tt field { $fvis:vis $field:ident $fty:ty }
        state [$docs:tt $col:tt $pk:tt [] [$($sdef:tt)+] $ml:tt $uq:tt $ix:tt $refs:tt] keep { [$($kr:tt)*] [$($kn:tt)*] } attrs {}) => {
        $crate::__model! {
            @next
            ctx { header $h done { $($d)* { $fvis $field $fty $docs $col $pk [$($sdef)+] $ml $uq $ix $refs [$($kr)*] } }
                  new { $($n)* { [server] $fvis $field $fty [::core::option::Option<$fty>] [$($kn)*] } } req $rq opt { $($o)* { $field $fty } } keys $k }
            rest $r
        }
    };
    (@attr ctx { header $h:tt done { $($d:tt)* } new { $($n:tt)* } req { $($rq:tt)* } opt $o:tt keys $k:tt } rest $r:tt field { $fvis:vis $field:ident $fty:ty }
        state [$docs:tt $col:tt $pk:tt [] [] $ml:tt $uq:tt $ix:tt $refs:tt] keep { [$($kr:tt)*] [$($kn:tt)*] } attrs {}) => {
        $crate::__model! {
            @next
            ctx { header $h done { $($d)* { $fvis $field $fty $docs $col $pk [] $ml $uq $ix $refs [$($kr)*] } }
                  new { $($n)* { [required] $fvis $field $fty [$fty] [$($kn)*] } } req { $($rq)* { $field $fty } } opt $o keys $k }
            rest $r
        }
    };

    (@emit
        { [$($sdoc:literal)*] [$($table:literal)?] [$([$($rattr:tt)*])*] [$([$($nattr:tt)*])*]
          $vis:vis $name:ident [$([$($rdoc:literal)*] $rname:ident $rkind:ident ($($rargs:tt)*))*] }
        { $( { $fvis:vis $field:ident $fty:ty [$($doc:literal)*] [$($col:literal)?] [$pk:ident] [$($def:tt)*]
               [$($ml:literal)?] [$uq:tt] [$ix:tt] [$($rm:ident $rc:ident $rod:ident)?] [$([$($fkeep:tt)*])*] } )* }
        { $( { [$($nkind:tt)*] $nvis:vis $nfield:ident $nbase:ty [$nty:ty] [$([$($nkeep:tt)*])*] } )* }
        { $( { $rqf:ident $rqt:ty } )* }
        { $( { $opf:ident $opt:ty } )* }
        $keys:tt
    ) => { $crate::__private::paste! {
        $crate::__model_primary_key!($name [<$name:snake>] $keys);
        $crate::__model_key_position!($name [<$name:snake>] $keys);
        $crate::__model_positions!($name [<$name:snake>] [$crate::expr::grouping::P0] $($field)*);

        #[doc = ::core::concat!($($sdoc, "\n",)*)]
        #[derive(Debug, Clone, PartialEq)]
        $(#[$($rattr)*])*
        $vis struct $name {
            $(
                #[doc = ::core::concat!($($doc, "\n",)*)]
                $(#[$($fkeep)*])*
                $fvis $field: $fty,
            )*
        }

        #[doc = ::core::concat!(
            "A new [`", ::core::stringify!($name), "`] row for `insert`: generated keys are left out, ",
            "columns with a default are `Option` (`None` uses the default). `",
            ::core::stringify!([<New $name>]), "::builder()` takes only the required fields."
        )]
        #[derive(Debug, Clone, PartialEq)]
        $(#[$($nattr)*])*
        $vis struct [<New $name>] {
            $(
                #[doc = ::core::concat!("`", ::core::stringify!($nfield), "` of the new row.")]
                $(#[$($nkeep)*])*
                $nvis $nfield: $nty,
            )*
        }

        $crate::__model_builder!(
            $vis [<New $name>] [<New $name Builder>] [<$name:snake>]
            req { $( { [<__ $rqf>] $rqf $rqt } )* } opt { $( { $opf $opt } )* }
        );

        #[doc = ::core::concat!("Columns of [`", ::core::stringify!($name), "`]: one zero-sized type each.")]
        #[allow(non_camel_case_types)]
        $vis mod [<$name:snake>] {
            $(
                #[doc = ::core::concat!("The column `", ::core::stringify!($field), "`.")]
                #[derive(Debug, Clone, Copy, Default)]
                pub struct $field;
            )*
            $(
                #[doc = ::core::concat!("The `", ::core::stringify!($rname), "` relationship.")]
                $(#[doc = $rdoc])*
                #[derive(Debug, Clone, Copy, Default)]
                pub struct $rname;
            )*
        }

        $(
            // The field's type as everything below names it: the type itself, or an error type
            // (reported once, here) when it has no SQL type.
            #[doc(hidden)]
            #[allow(non_camel_case_types)]
            type [<__ $name _ $field _ty>] = <$fty as $crate::__private::Gate<
                { $crate::__private::field_type_ok::<$fty, [<$name:snake>]::$field>() }
            >>::Ty;
        )*

        $( $crate::__model_relation!($name [<$name:snake>]::$rname, $rname, $rkind ($($rargs)*)); )*

        #[allow(non_upper_case_globals)]
        impl $name {
            $(
                #[doc = ::core::concat!("The `", ::core::stringify!($field), "` column, for expressions.")]
                pub const $field: [<$name:snake>]::$field = [<$name:snake>]::$field;
            )*
            $(
                #[doc = ::core::concat!("The `", ::core::stringify!($rname), "` relationship, for joins and loading.")]
                $(#[doc = $rdoc])*
                pub const $rname: [<$name:snake>]::$rname = [<$name:snake>]::$rname;
            )*
            /// The table, for `update`, `delete` and joins.
            pub const TABLE: $crate::Table<$name> = $crate::Table::new();

            /// `SELECT` every column of this table.
            pub fn select() -> $crate::Select<$crate::From1<$name>, $crate::Whole<$name>> {
                $crate::select_model::<$name>()
            }
        }

        $(
            impl $crate::Expression for [<$name:snake>]::$field {
                type SqlType = <[<__ $name _ $field _ty>] as $crate::RustType>::SqlType;
                type Table = $name;
                type Agg = $crate::expr::aggregate::Plain;
                fn lower(&self, _: $crate::Backend) -> $crate::__private::SeaExpr {
                    $crate::__private::column_expr(
                        <$name as $crate::Model>::TABLE_NAME,
                        <Self as $crate::Column>::NAME,
                    )
                }
                fn shape(&self, _: $crate::Backend, s: &mut $crate::shape::Shape) {
                    s.ty::<Self>();
                }
            }

            impl $crate::Column for [<$name:snake>]::$field {
                type Model = $name;
                const NAME: &'static str = $crate::__model_or!($($col)? ; ::core::stringify!($field));
                const FIELD: &'static str = ::core::stringify!($field);
            }

            impl<S, I> $crate::ValidIn<S, I> for [<$name:snake>]::$field
            where
                S: $crate::HasTable<$name, I>,
            {
                type Null = $crate::__private::ColumnNull<<Self as $crate::Expression>::SqlType, S::Null>;
                type Cols = $crate::expr::grouping::Col<$name, Self, I>;
                type Key = $crate::expr::grouping::Col<$name, Self, I>;
            }

            #[diagnostic::do_not_recommend]
            impl<__M: $crate::__private::Is<$name>> $crate::ColumnOf<__M> for [<$name:snake>]::$field {}
            #[diagnostic::do_not_recommend]
            impl<__M: $crate::__private::Is<$name>> $crate::schema::alias::ColumnOfModel<__M> for [<$name:snake>]::$field {}

            $crate::__column_expression_impls!($name [<$name:snake>]::$field, [<__ $name _ $field _ty>]);

            $crate::__model_check_key!($pk $fty);
        )*

        impl $crate::Model for $name {
            const TABLE_NAME: &'static str =
                $crate::__model_or!($($table)? ; ::core::stringify!([<$name:snake>]));
            const META: &'static $crate::TableMeta = &$crate::TableMeta {
                name: <$name as $crate::Model>::TABLE_NAME,
                rust_name: ::core::stringify!($name),
                columns: &[$(
                    $crate::ColumnMeta {
                        name: <[<$name:snake>]::$field as $crate::Column>::NAME,
                        field: ::core::stringify!($field),
                        kind: $crate::__private::kind_of::<[<$name:snake>]::$field>(),
                        nullable: $crate::__private::nullable_of::<[<$name:snake>]::$field>(),
                        primary_key: $crate::__model_key_kind!($pk),
                        unique: $uq,
                        indexed: $ix,
                        max_len: $crate::__model_max_len!([<$name:snake>]::$field, $field; $($ml)?),
                        default: $crate::__model_default!([<$name:snake>]::$field; $($def)*),
                        references: $crate::__model_references!([<$name:snake>]::$field, $field; $($rm $rc $rod)?),
                    },
                )*],
            };
            type New = [<New $name>];

            fn value_of(&self, column: &str) -> ::core::option::Option<$crate::Value> {
                $(
                    if column == <[<$name:snake>]::$field as $crate::Column>::NAME {
                        return ::core::option::Option::Some(<[<__ $name _ $field _ty>] as $crate::RustType>::into_value(
                            ::core::clone::Clone::clone(&self.$field),
                        ));
                    }
                )*
                ::core::option::Option::None
            }

            fn value_at(&self, index: usize) -> ::core::option::Option<$crate::Value> {
                let mut at = 0usize;
                $(
                    if index == at {
                        return ::core::option::Option::Some(<[<__ $name _ $field _ty>] as $crate::RustType>::into_value(
                            ::core::clone::Clone::clone(&self.$field),
                        ));
                    }
                    at += 1;
                )*
                let _ = at;
                ::core::option::Option::None
            }
        }

        impl $crate::ModelRowDecode for $name {
            fn decode_model(src: &mut dyn $crate::RowSource) -> ::core::result::Result<Self, $crate::Error> {
                ::core::result::Result::Ok($name {
                    $( $field: <[<__ $name _ $field _ty>] as $crate::DecodeRow>::decode_row(src)?, )*
                })
            }
        }

        impl $crate::DecodeRow for $name {
            fn decode_row(src: &mut dyn $crate::RowSource) -> ::core::result::Result<Self, $crate::Error> {
                <$name as $crate::ModelRowDecode>::decode_model(src)
            }
        }

        impl $crate::Insertable for [<New $name>] {
            type Model = $name;
            fn push_values(self, out: &mut ::std::vec::Vec<(&'static str, $crate::Value)>) {
                $(
                    $crate::__model_push_new!(
                        [$($nkind)*] [<__ $name _ $nfield _ty>], out, <[<$name:snake>]::$nfield as $crate::Column>::NAME, self.$nfield
                    );
                )*
            }
        }
    } };
}

/// One field of a new row: a required value; a server default's `None` leaves the column out; a
/// client default's `None` evaluates the `#[default(..)]` expression, once per row.
#[doc(hidden)]
#[macro_export]
macro_rules! __model_push_new {
    ([required] $t:ty, $out:ident, $name:expr, $v:expr) => {
        $out.push(($name, <$t as $crate::RustType>::into_value($v)))
    };
    ([server] $t:ty, $out:ident, $name:expr, $v:expr) => {
        if let ::core::option::Option::Some(v) = $v {
            $out.push(($name, <$t as $crate::RustType>::into_value(v)))
        }
    };
    ([client $($e:tt)+] $t:ty, $out:ident, $name:expr, $v:expr) => {
        $out.push(($name, <$t as $crate::RustType>::into_value(match $v {
            ::core::option::Option::Some(v) => v,
            ::core::option::Option::None => <_ as $crate::schema::builder::ClientDefault<$t>>::into_default($($e)+),
        })))
    };
}

/// An azoth attribute in a shape it does not have.
#[doc(hidden)]
#[macro_export]
macro_rules! __model_bad_attr {
    ($($attr:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "malformed model attribute `#[", ::core::stringify!($($attr)*), "]`; the field attributes are: ",
            "primary_key, primary_key(manual), column = \"..\", default(expr), server_default(expr), max_len = n, ",
            "unique, index, references(Model::column), references(Model::column, on_delete = cascade), new(attribute)"
        ));
    };
}

/// `NewX::builder()`: a typestate builder with one type parameter per required field
/// (`Missing<column>` until set), so that `build()` names a field left out.
#[doc(hidden)]
#[macro_export]
macro_rules! __model_builder {
    ($vis:vis $new:ident $builder:ident $cols:ident
     req { $( { $p:ident $rf:ident $rt:ty } )* } opt { $( { $of:ident $ot:ty } )* }) => {
        #[doc = ::core::concat!(
            "Builds a [`", ::core::stringify!($new), "`]: `", ::core::stringify!($new),
            "::builder()`, each required field, any defaulted one, then `.build()` (which names a required field left out)."
        )]
        #[allow(non_camel_case_types)]
        #[must_use = "call `.build()` to get the new row"]
        $vis struct $builder<$($p),*> {
            $( $rf: $p, )*
            $( $of: ::core::option::Option<$ot>, )*
        }

        impl $new {
            #[doc = ::core::concat!("Starts a [`", ::core::stringify!($new), "`] from only the fields it needs.")]
            $vis fn builder() -> $builder<$($crate::schema::builder::Missing<$cols::$rf>),*> {
                $builder {
                    $( $rf: $crate::schema::builder::Missing::new(), )*
                    $( $of: ::core::option::Option::None, )*
                }
            }
        }

        #[allow(non_camel_case_types)]
        impl<$($p),*> $builder<$($p),*> {
            $(
                #[doc = ::core::concat!("Sets `", ::core::stringify!($of), "` (left out, it takes its default).")]
                $vis fn $of(mut self, value: impl $crate::schema::builder::IntoField<$ot>) -> Self {
                    self.$of = ::core::option::Option::Some($crate::schema::builder::IntoField::into_field(value));
                    self
                }
            )*

            #[doc = ::core::concat!("The [`", ::core::stringify!($new), "`]; every required field must be set.")]
            $vis fn build(self) -> $new
            where
                $( $p: $crate::schema::builder::Provided<$rt, $cols::$rf>, )*
            {
                $new {
                    $( $rf: $crate::schema::builder::Provided::provide(self.$rf), )*
                    $( $of: self.$of, )*
                }
            }

            $crate::__model_builder!(@setters $vis $builder [] [$({ $p $rf $rt })*] [$($of)*]);
        }
    };
    (@setters $vis:vis $builder:ident [$({ $bp:ident $bf:ident $bt:ty })*] [] [$($of:ident)*]) => {};
    (@setters $vis:vis $builder:ident [$({ $bp:ident $bf:ident $bt:ty })*]
        [{ $p:ident $f:ident $t:ty } $({ $ap:ident $af:ident $at:ty })*] [$($of:ident)*]) => {
        // A method of the one impl over every parameter: an impl per setter cost each model a
        // type check of its own.
        #[doc = ::core::concat!("Sets the required field `", ::core::stringify!($f), "`.")]
        $vis fn $f(self, value: impl $crate::schema::builder::IntoField<$t>) -> $builder<$($bp,)* $t, $($ap,)*> {
            let $builder { $($bf,)* $f: _, $($af,)* $($of,)* } = self;
            $builder { $($bf,)* $f: $crate::schema::builder::IntoField::into_field(value), $($af,)* $($of,)* }
        }
        $crate::__model_builder!(@setters $vis $builder [$({ $bp $bf $bt })* { $p $f $t }] [$({ $ap $af $at })*] [$($of)*]);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __model_or {
    ($v:literal ; $default:expr) => {
        $v
    };
    (; $default:expr) => {
        $default
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __model_sets_null {
    (set_null) => {
        true
    };
    ($other:ident) => {
        false
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __model_max_len {
    ($col:ty, $field:ident;) => { ::core::option::Option::None };
    ($col:ty, $field:ident; $n:literal) => {{
        const _: () = ::core::assert!(
            $crate::__private::is_text::<$col>(),
            ::core::concat!(
                "`#[max_len = ", ::core::stringify!($n), "]` on `", ::core::stringify!($field),
                "`: only a text column has a maximum length; remove it, or make the field a `String`"
            )
        );
        ::core::option::Option::Some($n)
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __model_key_kind {
    (none) => {
        $crate::KeyKind::None
    };
    (auto) => {
        $crate::KeyKind::Auto
    };
    (manual) => {
        $crate::KeyKind::Manual
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __model_check_key {
    (auto $fty:ty) => {
        const _: fn() = $crate::__private::assert_auto_key::<$fty>;
    };
    ($other:ident $fty:ty) => {};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __model_default {
    ($col:ty;) => { ::core::option::Option::None };
    // `const { .. }`: a server default is a constant or a `const fn` such as `now()`, never a
    // value computed when the table is created.
    ($col:ty; $($e:tt)+) => {
        ::core::option::Option::Some($crate::DefaultExpr({
            fn default_expr(backend: $crate::Backend) -> $crate::__private::SeaExpr {
                $crate::__private::default_expr::<<$col as $crate::Expression>::SqlType, _>(const { $($e)+ }, backend)
            }
            default_expr
        }))
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __model_references {
    ($col:ty, $field:ident;) => { ::core::option::Option::None };
    ($col:ty, $field:ident; $m:ident $rc:ident $od:ident) => {{
        const _: () = ::core::assert!(
            !$crate::__model_sets_null!($od) || $crate::__private::nullable_of::<$col>(),
            ::core::concat!(
                "`on_delete = set_null` on `", ::core::stringify!($field),
                "`: a required column cannot be set to NULL; make the field an `Option<_>`, or use cascade or restrict"
            )
        );
        const _: () = ::core::assert!(
            $crate::__private::same_kind::<$col, _>(&$m::$rc),
            ::core::concat!(
                "`#[references(", ::core::stringify!($m), "::", ::core::stringify!($rc),
                ")]`: the referenced column has another SQL type than this field; give them the same Rust type"
            )
        );
        ::core::option::Option::Some($crate::__private::foreign_key::<$col, _>(
            &$m::$rc,
            $crate::__model_on_delete!($od),
        ))
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __model_on_delete {
    (no_action) => {
        $crate::OnDelete::NoAction
    };
    (restrict) => {
        $crate::OnDelete::Restrict
    };
    (cascade) => {
        $crate::OnDelete::Cascade
    };
    (set_null) => {
        $crate::OnDelete::SetNull
    };
    ($other:ident) => {
        ::core::compile_error!(::core::concat!(
            "unknown `on_delete = ",
            ::core::stringify!($other),
            "`; expected cascade, set_null, restrict or no_action"
        ))
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __model_primary_key {
    ($name:ident $cols:ident {}) => {};
    ($name:ident $cols:ident { { $k:ident $kty:ty } }) => {
        impl $crate::PrimaryKey for $name {
            type Key = $crate::__private::paste!([<__ $name _ $k _ty>]);
            const KEY_COLUMNS: &'static [&'static str] = &[<$cols::$k as $crate::Column>::NAME];
            const KEY_KINDS: &'static [$crate::sql_types::SqlKind] = &[$crate::__private::kind_of::<$cols::$k>()];
            fn key_values(key: Self::Key) -> ::std::vec::Vec<(&'static str, $crate::Value)> {
                ::std::vec![(<$cols::$k as $crate::Column>::NAME, $crate::RustType::into_value(key))]
            }
        }
    };
    ($name:ident $cols:ident { $( { $k:ident $kty:ty } )+ }) => {
        impl $crate::PrimaryKey for $name {
            type Key = $crate::__private::paste!(($([<__ $name _ $k _ty>],)+));
            const KEY_COLUMNS: &'static [&'static str] = &[$(<$cols::$k as $crate::Column>::NAME),+];
            const KEY_KINDS: &'static [$crate::sql_types::SqlKind] = &[$($crate::__private::kind_of::<$cols::$k>()),+];
            #[allow(non_snake_case)]
            fn key_values(key: Self::Key) -> ::std::vec::Vec<(&'static str, $crate::Value)> {
                let ($($k,)+) = key;
                ::std::vec![$((<$cols::$k as $crate::Column>::NAME, $crate::RustType::into_value($k))),+]
            }
        }
    };
}

/// Each column's position in its model (`P0`, `PNext<P0>`, ..): what tells two columns of one
/// table apart in a grouped query.
#[doc(hidden)]
#[macro_export]
macro_rules! __model_positions {
    ($name:ident $cols:ident [$pos:ty]) => {};
    ($name:ident $cols:ident [$pos:ty] $field:ident $($rest:ident)*) => {
        impl $crate::expr::grouping::GroupColumn for $cols::$field {
            type Pos = $pos;
            type Model = $name;
        }
        $crate::__model_positions!($name $cols [$crate::expr::grouping::PNext<$pos>] $($rest)*);
    };
}

/// The position of the model's single-column primary key (`NoPos` for none or a composite one).
#[doc(hidden)]
#[macro_export]
macro_rules! __model_key_position {
    ($name:ident $cols:ident { { $k:ident $kty:ty } }) => {
        impl $crate::expr::grouping::KeyPosition for $name {
            type Pos = <$cols::$k as $crate::expr::grouping::GroupColumn>::Pos;
        }
    };
    ($name:ident $cols:ident $keys:tt) => {
        impl $crate::expr::grouping::KeyPosition for $name {
            type Pos = $crate::expr::grouping::NoPos;
        }
    };
}

/// The expression impls of one column, `$col` of model `$name` whose field type is `$ty` (the
/// gated alias): what [`__expression_impls`] gives other expressions, written out with the
/// column's types so that they need no where-clause.
#[doc(hidden)]
#[macro_export]
macro_rules! __column_expression_impls {
    ($name:ident $col:ty, $ty:ty) => {
        #[diagnostic::do_not_recommend]
        impl<__ST: $crate::sql_types::BaseType> $crate::AsOperand<__ST> for $col
        where
            __ST: $crate::expr::BaseTypeOf<<$ty as $crate::RustType>::SqlType>,
        {
            type Expr = Self;
            fn into_operand(self) -> Self {
                self
            }
        }
        #[diagnostic::do_not_recommend]
        impl<__ST: $crate::sql_types::SqlType> $crate::AsValue<__ST> for $col
        where
            <$ty as $crate::RustType>::SqlType: $crate::expr::AssignableTo<__ST>,
        {
            type Expr = Self;
            fn into_value_expr(self) -> Self {
                self
            }
        }
        #[diagnostic::do_not_recommend]
        impl $crate::IntoExpr for $col {
            type Expr = Self;
            fn into_expr(self) -> Self {
                self
            }
        }
        impl<__S, __I> $crate::stmt::order::OrderTerm<__S, __I> for $col
        where
            for<'__e> $col: $crate::ValidIn<__S, __I>,
        {
            type Cols = $crate::expr::grouping::Col<$name, Self, __I>;
            fn into_item(self) -> $crate::stmt::order::OrderItem {
                $crate::stmt::order::OrderItem::ascending(self)
            }
        }
        impl<__S, __I> $crate::stmt::select::ExprList<__S, $crate::stmt::select::One<__I>> for $col
        where
            for<'__e> $col: $crate::ValidIn<__S, __I>,
        {
            type Keys = $crate::expr::grouping::Col<$name, Self, __I>;
            fn push_exprs(self, out: &mut ::std::vec::Vec<$crate::expr::DynExpr>) {
                out.push(::std::boxed::Box::new(self));
            }
        }
        impl $crate::stmt::selection::Selection for $col {
            type Table = $name;
            type Agg = $crate::expr::aggregate::Plain;
            fn lower_items(
                &self,
                backend: $crate::Backend,
                out: &mut ::std::vec::Vec<(
                    $crate::__private::SeaExpr,
                    ::core::option::Option<&'static str>,
                )>,
            ) {
                $crate::stmt::selection::push_expression(self, backend, out)
            }
            fn shape(&self, backend: $crate::Backend, s: &mut $crate::shape::Shape) {
                s.name(<$col as $crate::Expression>::selected_name(self).unwrap_or(""));
                <$col as $crate::Expression>::shape(self, backend, s)
            }
        }
        impl<__S, __I> $crate::stmt::selection::SelectionIn<__S, __I> for $col
        where
            for<'__e> $col: $crate::ValidIn<__S, __I>,
        {
            type Row = $crate::stmt::selection::ExprRow<$col, __S, __I>;
            type SqlTypes = $crate::stmt::selection::ExprSqlType<$col, __S, __I>;
            type Cols = $crate::expr::grouping::Col<$name, Self, __I>;
        }
    };
}
