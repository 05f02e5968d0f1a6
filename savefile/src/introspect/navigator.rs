//! The `Introspector`: a cursor that remembers one branch of an introspected value
//! and lists it frame by frame, so that a huge value can be browsed a level at a time.

use std::collections::HashMap;

use super::item::Introspect;
use super::result::{
    IntrospectedElement, IntrospectedElementKey, IntrospectionError, IntrospectionFrame,
    IntrospectionResult, IntrospectorNavCommand,
};

/// One remembered selection. Children are remembered by key rather than position
/// so that the selection stays on the same field when siblings come and go.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Step {
    key: String,
    key_disambiguator: usize,
}

/// Browses a value implementing [`Introspect`] one branch at a time.
///
/// The introspector remembers a path of selected children from the root down. Each
/// [`do_introspect`](Self::do_introspect) moves that path by one command and lists
/// the branch it names. The value is walked afresh on every call, so it may change
/// between calls; a remembered selection that no longer exists is dropped, together
/// with everything below it.
///
/// ```
/// use savefile::prelude::*;
///
/// struct Score {
///     player: String,
///     points: u32,
/// }
///
/// impl Introspect for Score {
///     fn introspect_value(&self) -> String {
///         "Score".to_string()
///     }
///     fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
///         match index {
///             0 => Some(introspect_item("player".to_string(), &self.player)),
///             1 => Some(introspect_item("points".to_string(), &self.points)),
///             _ => None,
///         }
///     }
/// }
///
/// let score = Score { player: "ada".to_string(), points: 42 };
/// let mut introspector = Introspector::new();
/// let select_points = IntrospectorNavCommand::SelectNth { select_depth: 0, select_index: 1 };
/// let result = introspector.do_introspect(&score, select_points).unwrap();
/// assert_eq!(result.frames[0].selected, Some(1));
/// assert_eq!(result.to_string(), "Introspectionresult:\n player = ada\n*points = 42\n");
/// ```
#[derive(Clone, Debug)]
pub struct Introspector {
    path: Vec<Step>,
    child_load_count: usize,
}

impl Default for Introspector {
    fn default() -> Introspector {
        Introspector::new()
    }
}

impl Introspector {
    /// An introspector that lists every child of each value on the branch.
    pub fn new() -> Introspector {
        Introspector::new_with(usize::MAX)
    }

    /// An introspector that lists at most `child_load_count` children per frame, so
    /// that a value with a million children stays cheap to browse; a frame cut short
    /// says so in [`IntrospectionFrame::limit_reached`]. Children past the limit
    /// cannot be selected.
    pub fn new_with(child_load_count: usize) -> Introspector {
        Introspector {
            path: Vec::new(),
            child_load_count,
        }
    }

    /// The number of selections on the remembered path: 0 at the start, 1 after
    /// selecting a child of the root, and so on. (A result has this many frames,
    /// plus one when the deepest selected child has children of its own.)
    pub fn num_frames(&self) -> usize {
        self.path.len()
    }

    /// Applies `nav_command` to the selection and lists the selected branch of
    /// `object`.
    ///
    /// The command is checked against `object` as it is now, after dropping any
    /// remembered selection it no longer has. On error the selection is unchanged
    /// (apart from that dropping).
    pub fn do_introspect(
        &mut self,
        object: &dyn Introspect,
        nav_command: IntrospectorNavCommand,
    ) -> Result<IntrospectionResult, IntrospectionError> {
        let current = self.walk(object);
        if nav_command == IntrospectorNavCommand::Nothing {
            return Ok(IntrospectionResult::new(current));
        }
        self.apply(nav_command, &current)?;
        Ok(IntrospectionResult::new(self.walk(object)))
    }

    /// Moves the path by `command`, checking it against the frames of the current walk.
    fn apply(
        &mut self,
        command: IntrospectorNavCommand,
        frames: &[IntrospectionFrame],
    ) -> Result<(), IntrospectionError> {
        let (depth, chosen) = match command {
            IntrospectorNavCommand::Nothing => return Ok(()),
            IntrospectorNavCommand::Up => {
                return match self.path.pop() {
                    Some(_) => Ok(()),
                    None => Err(IntrospectionError::AlreadyAtTop),
                };
            }
            IntrospectorNavCommand::SelectNth {
                select_depth,
                select_index,
            } => {
                let frame = selectable_frame(frames, select_depth)?;
                let element = frame
                    .keyvals
                    .get(select_index)
                    .ok_or(IntrospectionError::IndexOutOfRange)?;
                (select_depth, &element.key)
            }
            IntrospectorNavCommand::ExpandElement(wanted) => {
                let frame = selectable_frame(frames, wanted.depth)?;
                let element = frame
                    .keyvals
                    .iter()
                    .find(|element| {
                        element.key.key == wanted.key
                            && element.key.key_disambiguator == wanted.key_disambiguator
                    })
                    .ok_or(IntrospectionError::UnknownKey)?;
                (wanted.depth, &element.key)
            }
        };
        self.path.truncate(depth);
        self.path.push(Step {
            key: chosen.key.clone(),
            key_disambiguator: chosen.key_disambiguator,
        });
        Ok(())
    }

    /// Lists the branch named by the path, root first, and cuts the path down to the
    /// selections that were found.
    fn walk(&mut self, object: &dyn Introspect) -> Vec<IntrospectionFrame> {
        let mut frames = Vec::new();
        self.walk_from(0, object, &mut frames);
        // The selected frames are a prefix: the walk stops below the first frame
        // whose remembered selection is gone, or whose selection is a leaf.
        let found = frames
            .iter()
            .filter(|frame| frame.selected.is_some())
            .count();
        self.path.truncate(found);
        frames
    }

    fn walk_from(
        &self,
        depth: usize,
        object: &dyn Introspect,
        frames: &mut Vec<IntrospectionFrame>,
    ) {
        let frame = self.list(depth, object);
        let descend = frame
            .selected
            .and_then(|index| frame.keyvals.get(index).map(|element| (index, element)))
            .filter(|(_, element)| element.has_children)
            .map(|(index, element)| (index, element.key.key.clone()));
        frames.push(frame);
        let Some((index, key)) = descend else {
            return;
        };
        // The selected child is asked for again rather than kept from the listing: a
        // child may hold a guard on its parent (a lock), and asking that parent for
        // its next child while the guard lives could deadlock.
        if let Some(child) = object.introspect_child(index) {
            if child.key() == key {
                self.walk_from(depth + 1, child.val(), frames);
            }
        }
    }

    /// The frame of `object`'s children at `depth`, marking the remembered selection.
    fn list(&self, depth: usize, object: &dyn Introspect) -> IntrospectionFrame {
        let wanted = self.path.get(depth);
        let mut frame = IntrospectionFrame {
            selected: None,
            keyvals: Vec::new(),
            limit_reached: false,
        };
        let mut seen_keys: HashMap<String, usize> = HashMap::new();
        let mut index = 0;
        while index < self.child_load_count {
            let Some(child) = object.introspect_child(index) else {
                return frame;
            };
            let key = child.key().to_string();
            let seen = seen_keys.entry(key.clone()).or_insert(0);
            let key_disambiguator = *seen;
            *seen += 1;
            let selected = frame.selected.is_none()
                && wanted.is_some_and(|step| {
                    step.key == key && step.key_disambiguator == key_disambiguator
                });
            if selected {
                frame.selected = Some(index);
            }
            frame.keyvals.push(IntrospectedElement {
                key: IntrospectedElementKey {
                    depth,
                    key,
                    key_disambiguator,
                },
                value: child.val().introspect_value(),
                has_children: child.val().introspect_child(0).is_some(),
                selected,
            });
            index += 1;
        }
        frame.limit_reached = object.introspect_child(index).is_some();
        frame
    }
}

/// The frame at `depth`, if it exists and has children to pick from.
fn selectable_frame(
    frames: &[IntrospectionFrame],
    depth: usize,
) -> Result<&IntrospectionFrame, IntrospectionError> {
    let frame = frames.get(depth).ok_or(IntrospectionError::BadDepth)?;
    if frame.keyvals.is_empty() && !frame.limit_reached {
        return Err(IntrospectionError::NoChildren);
    }
    Ok(frame)
}

#[cfg(test)]
mod tests {
    use std::sync::{Mutex, MutexGuard};

    use super::*;
    use crate::introspect::{introspect_item, IntrospectItem};

    /// A value of any shape, for values that change and for odd keys.
    struct Node {
        value: String,
        children: Vec<(String, Node)>,
    }

    impl Introspect for Node {
        fn introspect_value(&self) -> String {
            self.value.clone()
        }
        fn introspect_child<'a>(
            &'a self,
            index: usize,
        ) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
            let (key, child) = self.children.get(index)?;
            Some(introspect_item(key.clone(), child))
        }
    }

    /// Builds a `Node` from `value{key=value key=value{...}}`, so a tree fits on a line.
    fn tree(spec: &str) -> Node {
        fn parse(rest: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Node {
            let word = |rest: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                std::iter::from_fn(|| rest.next_if(|c| !"{} =".contains(*c))).collect::<String>()
            };
            let mut node = Node {
                value: word(rest),
                children: Vec::new(),
            };
            if rest.next_if_eq(&'{').is_some() {
                while rest.next_if_eq(&'}').is_none() {
                    rest.next_if_eq(&' ');
                    let key = word(rest);
                    rest.next_if_eq(&'=');
                    node.children.push((key, parse(rest)));
                }
            }
            node
        }
        parse(&mut spec.chars().peekable())
    }

    fn select(select_depth: usize, select_index: usize) -> IntrospectorNavCommand {
        IntrospectorNavCommand::SelectNth {
            select_depth,
            select_index,
        }
    }

    fn expand(depth: usize, key: &str, key_disambiguator: usize) -> IntrospectorNavCommand {
        let key = key.to_string();
        IntrospectorNavCommand::ExpandElement(IntrospectedElementKey {
            depth,
            key,
            key_disambiguator,
        })
    }

    /// The reference example's `Person`, with the same keys and values.
    fn leo() -> Node {
        tree("Person{name=Leo age=8 weight=Weight{value=26 unit=kg}}")
    }

    /// The error `command` fails with.
    fn fails(
        nav: &mut Introspector,
        value: &dyn Introspect,
        command: IntrospectorNavCommand,
    ) -> IntrospectionError {
        nav.do_introspect(value, command).unwrap_err()
    }

    const NOTHING: IntrospectorNavCommand = IntrospectorNavCommand::Nothing;
    const UP: IntrospectorNavCommand = IntrospectorNavCommand::Up;

    /// Each frame as its selection and its `key=value` pairs, `+` marking children.
    fn shape(result: &IntrospectionResult) -> Vec<(Option<usize>, String)> {
        let frame = |frame: &IntrospectionFrame| {
            let pairs = frame.keyvals.iter().map(|e| {
                let more = if e.has_children { "+" } else { "" };
                format!("{}={}{more}", e.key.key, e.value)
            });
            (frame.selected, pairs.collect::<Vec<_>>().join(" "))
        };
        result.frames.iter().map(frame).collect()
    }

    #[test]
    fn nothing_lists_and_keeps_the_selection() {
        let mut nav = Introspector::default();
        let first = nav.do_introspect(&leo(), NOTHING).unwrap();
        assert_eq!(
            shape(&first),
            [(None, "name=Leo age=8 weight=Weight+".into())]
        );
        assert_eq!(
            first.to_string(),
            "Introspectionresult:\n name = Leo\n age = 8\n>weight = Weight\n"
        );
        nav.do_introspect(&leo(), select(0, 2)).unwrap();
        let again = nav.do_introspect(&leo(), NOTHING).unwrap();
        assert_eq!(again.frames.len(), 2);
        assert_eq!(again.frames[0].selected, Some(2));
    }

    #[test]
    fn expand_element_selects_by_key_at_any_open_depth() {
        let mut nav = Introspector::new();
        let result = nav.do_introspect(&leo(), expand(0, "weight", 0)).unwrap();
        assert_eq!(result.frames.len(), 2);
        // A leaf can be selected: it is marked, and opens no frame.
        let result = nav.do_introspect(&leo(), expand(1, "unit", 0)).unwrap();
        assert_eq!(result.frames.len(), 2);
        assert_eq!(result.frames[1].selected, Some(1));
        assert!(result.frames[1].keyvals[1].selected);
        assert_eq!(nav.num_frames(), 2);
        assert!(result
            .to_string()
            .ends_with("   value = 26\n  *unit = kg\n"));
        // Selecting higher up replaces everything below.
        let result = nav.do_introspect(&leo(), expand(0, "age", 0)).unwrap();
        assert_eq!(shape(&result)[0].0, Some(1));
        assert_eq!((result.frames.len(), nav.num_frames()), (1, 1));
    }

    #[test]
    fn up_drops_the_deepest_selection() {
        let mut nav = Introspector::new();
        nav.do_introspect(&leo(), select(0, 2)).unwrap();
        nav.do_introspect(&leo(), select(1, 0)).unwrap();
        assert_eq!(nav.num_frames(), 2);
        let result = nav.do_introspect(&leo(), UP).unwrap();
        assert_eq!(nav.num_frames(), 1);
        assert_eq!(shape(&result)[1], (None, "value=26 unit=kg".into()));
        let result = nav.do_introspect(&leo(), UP).unwrap();
        assert_eq!(nav.num_frames(), 0);
        assert_eq!(
            shape(&result),
            [(None, "name=Leo age=8 weight=Weight+".into())]
        );
        let error = fails(&mut nav, &leo(), UP);
        assert_eq!(error, IntrospectionError::AlreadyAtTop);
        assert_eq!(error.to_string(), "already at the top: nothing is selected");
    }

    #[test]
    fn every_error_and_the_selection_survives_it() {
        use IntrospectionError::*;
        let person = &leo();
        let mut nav = Introspector::new();
        assert_eq!(fails(&mut nav, person, select(1, 0)), BadDepth);
        assert_eq!(fails(&mut nav, person, expand(3, "age", 0)), BadDepth);
        nav.do_introspect(person, select(0, 2)).unwrap();
        let failures = [
            (select(0, 3), IndexOutOfRange),
            (select(1, 2), IndexOutOfRange),
            (select(2, 0), BadDepth),
            (expand(0, "height", 0), UnknownKey),
            (expand(0, "weight", 1), UnknownKey),
            (expand(1, "name", 0), UnknownKey),
        ];
        for (command, error) in failures {
            let got = nav.do_introspect(person, command.clone());
            assert_eq!(got.unwrap_err(), error, "{command:?}");
            assert_eq!(nav.num_frames(), 1, "{command:?}");
        }
        // A leaf selected at the bottom opens no frame to select in.
        nav.do_introspect(person, select(1, 0)).unwrap();
        assert_eq!(fails(&mut nav, person, select(2, 0)), BadDepth);
        // A value without children has an empty frame 0.
        let mut bare = Introspector::new();
        let result = bare.do_introspect(&7u32, NOTHING).unwrap();
        assert_eq!(shape(&result), [(None, String::new())]);
        assert_eq!(result.to_string(), "Introspectionresult:\n");
        assert_eq!(fails(&mut bare, &7u32, select(0, 0)), NoChildren);
        assert_eq!(fails(&mut bare, &7u32, expand(0, "x", 0)), NoChildren);
    }

    #[test]
    fn the_child_limit_cuts_frames_short() {
        let children = (0..100).map(|i| (i.to_string(), tree(&(i * 10).to_string())));
        let hundred = Node {
            value: "hundred".to_string(),
            children: children.collect(),
        };
        let mut limited = Introspector::new_with(10);
        let result = limited.do_introspect(&hundred, NOTHING).unwrap();
        assert_eq!(
            (result.frames[0].keyvals.len(), result.total_len()),
            (10, 10)
        );
        assert!(result.frames[0].limit_reached);
        assert_eq!(result.frames[0].keyvals[9].value, "90");
        let error = fails(&mut limited, &hundred, select(0, 10));
        assert_eq!(error, IntrospectionError::IndexOutOfRange);
        let result = limited.do_introspect(&hundred, select(0, 9)).unwrap();
        assert_eq!(result.frames[0].selected, Some(9));

        for mut unlimited in [Introspector::new_with(100), Introspector::new()] {
            let result = unlimited.do_introspect(&hundred, select(0, 99)).unwrap();
            assert_eq!(result.frames[0].keyvals.len(), 100);
            assert!(!result.frames[0].limit_reached);
        }

        // With a limit of 0 nothing is listed, but the frame is not childless.
        let mut none = Introspector::new_with(0);
        let result = none.do_introspect(&hundred, NOTHING).unwrap();
        assert!(result.frames[0].keyvals.is_empty() && result.frames[0].limit_reached);
        let error = fails(&mut none, &hundred, select(0, 0));
        assert_eq!(error, IntrospectionError::IndexOutOfRange);
    }

    #[test]
    fn a_path_that_disappears_is_trimmed() {
        let before = tree("R{x=1 shelf=S{box=B{item=i}}}");
        let mut nav = Introspector::new();
        nav.do_introspect(&before, expand(0, "shelf", 0)).unwrap();
        nav.do_introspect(&before, expand(1, "box", 0)).unwrap();
        assert_eq!(nav.num_frames(), 2);

        // A sibling appears in front: the selection follows the key.
        let moved = tree("R{new=0 x=1 shelf=S{box=B{item=i}}}");
        let result = nav.do_introspect(&moved, NOTHING).unwrap();
        let expected = [
            (Some(2), "new=0 x=1 shelf=S+"),
            (Some(0), "box=B+"),
            (None, "item=i"),
        ];
        assert_eq!(shape(&result), expected.map(|(s, f)| (s, f.to_string())));

        // The box is gone: the selection stops at the shelf.
        let emptied = tree("R{x=1 shelf=S{other=o}}");
        let result = nav.do_introspect(&emptied, NOTHING).unwrap();
        assert_eq!(shape(&result)[1], (None, "other=o".into()));
        assert_eq!(nav.num_frames(), 1);

        // The shelf became a leaf: still selected, but nothing opens below it.
        nav.do_introspect(&before, expand(1, "box", 0)).unwrap();
        let result = nav
            .do_introspect(&tree("R{x=1 shelf=sold}"), NOTHING)
            .unwrap();
        assert_eq!(shape(&result), [(Some(1), "x=1 shelf=sold".into())]);
        assert_eq!(nav.num_frames(), 1);

        // Everything is gone: commands are checked against what is there now.
        let error = fails(&mut nav, &tree("R"), UP);
        assert_eq!(error, IntrospectionError::AlreadyAtTop);
        assert_eq!(nav.num_frames(), 0);
        // A path from another value's shape finds nothing in a Person either.
        nav.do_introspect(&before, select(0, 1)).unwrap();
        assert_eq!(nav.do_introspect(&leo(), NOTHING).unwrap().total_len(), 3);
        assert_eq!(nav.num_frames(), 0);
    }

    #[test]
    fn repeated_keys_are_told_apart() {
        let list = tree("L{item=first item=second{x=1}}");
        let mut nav = Introspector::new();
        let result = nav.do_introspect(&list, expand(0, "item", 1)).unwrap();
        let keys: Vec<&IntrospectedElementKey> =
            result.frames[0].keyvals.iter().map(|e| &e.key).collect();
        assert_eq!(
            (keys[0].key_disambiguator, keys[1].key_disambiguator),
            (0, 1)
        );
        assert_eq!(
            shape(&result),
            [
                (Some(1), "item=first item=second+".into()),
                (None, "x=1".into())
            ]
        );
        // The key of a listed element can be handed straight back.
        let back = IntrospectorNavCommand::ExpandElement(result.frames[0].keyvals[0].key.clone());
        let result = nav.do_introspect(&list, back).unwrap();
        assert_eq!(result.frames[0].selected, Some(0));
    }

    /// A value whose child holds a lock on it, as a `Mutex`'s does; asking it for
    /// another child while that lock is held fails the test instead of hanging.
    struct Locked(Mutex<Node>);

    struct Guarded<'a>(MutexGuard<'a, Node>);

    impl<'a> IntrospectItem<'a> for Guarded<'a> {
        fn key(&self) -> &str {
            "0"
        }
        fn val(&self) -> &dyn Introspect {
            &*self.0
        }
    }

    impl Introspect for Locked {
        fn introspect_value(&self) -> String {
            "Locked".to_string()
        }
        fn introspect_child<'a>(
            &'a self,
            index: usize,
        ) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
            let guard = self.0.try_lock().expect("locked twice");
            (index == 0).then(|| Box::new(Guarded(guard)) as Box<dyn IntrospectItem<'a> + 'a>)
        }
    }

    #[test]
    fn children_holding_a_lock_are_released_before_the_next_is_asked_for() {
        let locked = Locked(Mutex::new(tree("Weight{value=26 unit=kg}")));
        let mut nav = Introspector::new_with(1);
        let result = nav.do_introspect(&locked, select(0, 0)).unwrap();
        assert_eq!(
            shape(&result),
            [(Some(0), "0=Weight+".into()), (None, "value=26".into())]
        );
        assert!(!result.frames[0].limit_reached && result.frames[1].limit_reached);
    }
}
