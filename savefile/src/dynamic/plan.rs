//! A file's schema turned into a graph the decoder walks: recursion resolved to the
//! node it refers to, packed vectors, maps and bit vectors recognised once, names
//! shared.
//!
//! `Schema::Recursion(n)` names the `n`-th enclosing type that was registered while
//! the schema was built (`WithSchemaContext::possible_recursion`). Vectors, arrays and
//! maps register their elements visibly; `Box`, `Rc` and `Arc` register their target
//! without a node of their own. So a reference is resolved first by the visible
//! registrations around it (the elements of vectors and arrays, the keys and values of
//! maps); when there are fewer of those than `n`, it counts every enclosing struct or
//! enum too (the types a `Box` can hold). Either way the node found is an enclosing
//! node of the referred type, which decodes the same bytes. One quirk of savefile
//! 0.20 is followed: a `HashMap` registers its value under its key's type, so a map
//! key that refers to an enclosing map's value is of that map's key type.

use std::sync::Arc;

use super::visit::NumberType;
use crate::{Schema, SchemaPrimitive};

/// The index of a node in [`Plan::nodes`].
pub(super) type NodeId = usize;

/// One node of the graph.
#[derive(Debug)]
pub(super) enum Node {
    /// Takes no bytes.
    Unit,
    Bool,
    /// One number.
    Number(NumberType),
    Char,
    Str,
    Canary,
    Timestamp,
    Struct {
        name: Arc<str>,
        fields: Vec<(Arc<str>, NodeId)>,
    },
    Enum {
        name: Arc<str>,
        /// Bytes of the variant index: 1, 2 or 4.
        index_bytes: u8,
        variants: Vec<PlanVariant>,
    },
    Seq(NodeId),
    Array {
        count: usize,
        item: NodeId,
    },
    /// A vector of numbers.
    Numbers(NumberType),
    /// An array of numbers.
    NumberArray {
        count: usize,
        number: NumberType,
    },
    Map {
        key: NodeId,
        value: NodeId,
    },
    Option(NodeId),
    /// A bit vector or bit set, whose bytes are not what its schema says.
    Bits,
    /// A `SocketAddr`, whose schema describes the address but not the port and the
    /// rest that are saved with it.
    SocketAddr(Box<SocketNames>),
    /// A node whose bytes the schema does not describe (`Custom`, `Undefined`, an
    /// unresolvable reference): reading one is an error that says so.
    Opaque(String),
}

/// The names a `SocketAddr` is told with: an enum of two variants, `IPV4` of the
/// fields `ip` and `port`, `IPV6` of those and `flowinfo` and `scope_id`.
#[derive(Debug)]
pub(super) struct SocketNames {
    pub(super) name: Arc<str>,
    pub(super) v4: Arc<str>,
    pub(super) v6: Arc<str>,
    pub(super) ip: Arc<str>,
    pub(super) port: Arc<str>,
    pub(super) flowinfo: Arc<str>,
    pub(super) scope_id: Arc<str>,
}

impl SocketNames {
    fn new() -> SocketNames {
        SocketNames {
            name: "SocketAddr".into(),
            v4: "IPV4".into(),
            v6: "IPV6".into(),
            ip: "ip".into(),
            port: "port".into(),
            flowinfo: "flowinfo".into(),
            scope_id: "scope_id".into(),
        }
    }
}

/// One variant of an enum node.
#[derive(Debug)]
pub(super) struct PlanVariant {
    pub(super) name: Arc<str>,
    pub(super) fields: Vec<(Arc<str>, NodeId)>,
}

/// The graph, with the fewest bytes each node's data can take.
#[derive(Debug)]
pub(super) struct Plan {
    pub(super) nodes: Vec<Node>,
    /// A lower bound of each node's saved size, for checking element counts.
    pub(super) min_bytes: Vec<u64>,
}

/// The root is the first node.
pub(super) const ROOT: NodeId = 0;

/// Where a node sits in its parent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A field, an option's content, the root.
    Plain,
    /// An element of a vector or array.
    Element,
    /// The key of a map entry.
    Key,
    /// The value of a map entry, whose key is node `key`.
    Value { key: NodeId },
}

/// An enclosing node while the graph is built.
struct Ancestor {
    id: NodeId,
    role: Role,
    /// A struct or enum: a type a `Box` may have registered.
    nominal: bool,
}

impl Ancestor {
    /// Registered visibly: an element of a vector or array, a key or value of a map.
    fn visible(&self) -> bool {
        self.role != Role::Plain
    }
}

struct Builder {
    nodes: Vec<Node>,
    ancestors: Vec<Ancestor>,
}

impl Plan {
    /// The graph of `schema`. Never fails: what cannot be decoded becomes
    /// [`Node::Opaque`], an error only if data reaches it.
    pub(super) fn new(schema: &Schema) -> Plan {
        let mut builder = Builder {
            nodes: Vec::new(),
            ancestors: Vec::new(),
        };
        builder.add(schema, Role::Plain);
        let nodes = builder.nodes;
        let mut min_bytes = vec![None; nodes.len()];
        least_bytes(&nodes, &mut min_bytes, ROOT);
        let min_bytes = min_bytes
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect();
        Plan { nodes, min_bytes }
    }
}

impl Builder {
    fn add(&mut self, schema: &Schema, role: Role) -> NodeId {
        if let Schema::Recursion(levels) = schema {
            return self.resolve(*levels, role, schema);
        }
        let id = self.nodes.len();
        self.nodes.push(Node::Unit);
        let nominal = matches!(schema, Schema::Struct(_) | Schema::Enum(_));
        self.ancestors.push(Ancestor { id, role, nominal });
        let node = self.build(schema);
        self.ancestors.pop();
        self.nodes[id] = node;
        id
    }

    fn build(&mut self, schema: &Schema) -> Node {
        match schema {
            Schema::Primitive(primitive) => match primitive {
                SchemaPrimitive::schema_bool => Node::Bool,
                SchemaPrimitive::schema_char => Node::Char,
                SchemaPrimitive::schema_string(_) => Node::Str,
                SchemaPrimitive::schema_canary1 => Node::Canary,
                number => NumberType::of(*number).map_or(Node::Unit, Node::Number),
            },
            Schema::ZeroSize => Node::Unit,
            Schema::UtcTimestamp => Node::Timestamp,
            Schema::Struct(st) => {
                if is_bits(schema) {
                    return Node::Bits;
                }
                let fields = self.fields(&st.fields);
                Node::Struct {
                    name: st.dbg_name.as_str().into(),
                    fields,
                }
            }
            Schema::Enum(en) if is_socket_addr(en) => {
                Node::SocketAddr(Box::new(SocketNames::new()))
            }
            Schema::Enum(en) => {
                let mut variants: Vec<PlanVariant> = en
                    .variants
                    .iter()
                    .map(|v| PlanVariant {
                        name: v.name.as_str().into(),
                        fields: self.fields(&v.fields),
                    })
                    .collect();
                if is_result(en) {
                    // Saved with tag 1 for `Ok`, 0 for `Err`, though `Ok` is declared first.
                    variants.swap(0, 1);
                }
                Node::Enum {
                    name: en.dbg_name.as_str().into(),
                    index_bytes: en.discriminant_size,
                    variants,
                }
            }
            Schema::Vector(item, _) => {
                if let Schema::Primitive(p) = &**item {
                    if let Some(number) = NumberType::of(*p) {
                        return Node::Numbers(number);
                    }
                }
                if let Some((key, value)) = map_entry(item) {
                    // The entry struct itself is not a registered type; its key and value are.
                    let key = self.add(key, Role::Key);
                    let value = self.add(value, Role::Value { key });
                    return Node::Map { key, value };
                }
                Node::Seq(self.add(item, Role::Element))
            }
            Schema::Array(array) => {
                if let Schema::Primitive(p) = &*array.item_type {
                    if let Some(number) = NumberType::of(*p) {
                        return Node::NumberArray {
                            count: array.count,
                            number,
                        };
                    }
                }
                Node::Array {
                    count: array.count,
                    item: self.add(&array.item_type, Role::Element),
                }
            }
            Schema::SchemaOption(inner) => Node::Option(self.add(inner, Role::Plain)),
            Schema::Custom(name) => Node::Opaque(format!("the custom type `{name}`")),
            Schema::Undefined => Node::Opaque("an undefined schema".to_string()),
            // Handled in `add`.
            Schema::Recursion(_) => Node::Unit,
        }
    }

    fn fields(&mut self, fields: &[crate::Field]) -> Vec<(Arc<str>, NodeId)> {
        fields
            .iter()
            .map(|f| (Arc::from(f.name.as_str()), self.add(&f.value, Role::Plain)))
            .collect()
    }

    /// The node `Recursion(levels)`, found where `role` says, refers to (see the
    /// module docs).
    fn resolve(&mut self, levels: usize, role: Role, schema: &Schema) -> NodeId {
        let innermost = self.ancestors.iter().rev();
        let by_visible = innermost
            .clone()
            .filter(|a| a.visible())
            .nth(levels.wrapping_sub(1));
        let found = by_visible.or_else(|| {
            innermost
                .filter(|a| a.visible() || a.nominal)
                .nth(levels.wrapping_sub(1))
        });
        match found {
            // A `HashMap` registers its value under its *key* type (as savefile 0.20
            // does), so a key that refers to a map's value is of that map's key type.
            Some(Ancestor {
                role: Role::Value { key },
                ..
            }) if levels > 0 && role == Role::Key => *key,
            Some(ancestor) if levels > 0 => ancestor.id,
            _ => {
                let id = self.nodes.len();
                self.nodes.push(Node::Opaque(format!(
                    "{} that refers to no enclosing type",
                    schema.describe()
                )));
                id
            }
        }
    }
}

/// The key and value schemas of a map's entry struct.
fn map_entry(item: &Schema) -> Option<(&Schema, &Schema)> {
    let Schema::Struct(entry) = item else {
        return None;
    };
    match &entry.fields[..] {
        [key, value] if entry.dbg_name == "KeyValuePair" => Some((&key.value, &value.value)),
        _ => None,
    }
}

/// Whether `en` is the schema of `Result`: variants `Ok` and `Err` of one field each,
/// both of discriminant 0 (docs/format.md, 3.1). The enum's name is not looked at: the
/// schema check ignores it, so a file that loads as a `Result` may name it otherwise, and
/// no derived enum gives two variants one discriminant.
fn is_result(en: &crate::SchemaEnum) -> bool {
    let [ok, err] = &en.variants[..] else {
        return false;
    };
    (&*ok.name, &*err.name) == ("Ok", "Err")
        && ok.discriminant == 0
        && err.discriminant == 0
        && ok.fields.len() == 1
        && err.fields.len() == 1
}

/// Whether `en` is the schema of `SocketAddr` (docs/format.md, 3.1).
fn is_socket_addr(en: &crate::SchemaEnum) -> bool {
    let [v4, v6] = &en.variants[..] else {
        return false;
    };
    let only = |v: &crate::Variant, primitive: SchemaPrimitive| matches!(&v.fields[..], [f] if *f.value == Schema::Primitive(primitive));
    en.dbg_name == "SocketAddr"
        && en.discriminant_size == 1
        && (&*v4.name, &*v6.name) == ("IPV4", "IPV6")
        && only(v4, SchemaPrimitive::schema_u32)
        && only(v6, SchemaPrimitive::schema_u128)
}

/// Whether `schema` is that of a bit vector or bit set (see `ecosystem/bits.rs`).
fn is_bits(schema: &Schema) -> bool {
    let Schema::Struct(st) = schema else {
        return false;
    };
    let u64_field = |index: usize, name: &str| {
        st.fields.get(index).is_some_and(|f| {
            f.name == name && *f.value == Schema::Primitive(SchemaPrimitive::schema_u64)
        })
    };
    let buffer = st.fields.get(2).is_some_and(|f| {
        f.name == "buffer"
            && matches!(&*f.value, Schema::Vector(item, _)
                if **item == Schema::Primitive(SchemaPrimitive::schema_u8))
    });
    (st.dbg_name == "BitVec" || st.dbg_name == "BitSet")
        && st.fields.len() == 3
        && u64_field(0, "num_bits")
        && u64_field(1, "num_bytes")
        && buffer
}

/// Fills `min[id]` (and those of the nodes below) with the fewest bytes the node's
/// data takes. A node met again while its own size is being found (a reference back)
/// counts as 0: a lower bound, which is all a count check needs.
fn least_bytes(nodes: &[Node], min: &mut [Option<u64>], id: NodeId) -> u64 {
    if let Some(known) = min[id] {
        return known;
    }
    // In progress: a reference back to it adds nothing.
    min[id] = Some(0);
    let fields = |min: &mut [Option<u64>], fields: &[(Arc<str>, NodeId)]| {
        fields.iter().fold(0u64, |sum, (_, f)| {
            sum.saturating_add(least_bytes(nodes, min, *f))
        })
    };
    let bytes = match &nodes[id] {
        Node::Unit | Node::Opaque(_) => 0,
        Node::Bool => 1,
        Node::Number(n) => n.size() as u64,
        Node::Char | Node::Canary => 4,
        Node::Str | Node::Seq(_) | Node::Numbers(_) | Node::Map { .. } | Node::Timestamp => 8,
        Node::Bits => 16,
        Node::SocketAddr(_) => 7,
        Node::Option(inner) => {
            least_bytes(nodes, min, *inner);
            1
        }
        Node::Struct { fields: f, .. } => fields(min, f),
        Node::Enum {
            index_bytes,
            variants,
            ..
        } => {
            let mut least = u64::MAX;
            for variant in variants {
                least = least.min(fields(min, &variant.fields));
            }
            (*index_bytes as u64).saturating_add(if variants.is_empty() { 0 } else { least })
        }
        Node::Array { count, item } => {
            (*count as u64).saturating_mul(least_bytes(nodes, min, *item))
        }
        Node::NumberArray { count, number } => (*count as u64).saturating_mul(number.size() as u64),
    };
    // Children below a vector or map are sized too, for their own counts.
    match &nodes[id] {
        Node::Seq(item) => {
            least_bytes(nodes, min, *item);
        }
        Node::Map { key, value } => {
            least_bytes(nodes, min, *key);
            least_bytes(nodes, min, *value);
        }
        _ => {}
    }
    min[id] = Some(bytes);
    bytes
}
