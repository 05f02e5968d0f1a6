//! What goes in and out of an [`Introspector`](super::Introspector): navigation
//! commands in; the frames of the selected branch, their elements (with a flat view
//! over them for list widgets) or an error out.

use std::fmt;

/// A move of the [`Introspector`](super::Introspector)'s selection, given to
/// [`Introspector::do_introspect`](super::Introspector::do_introspect).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntrospectorNavCommand {
    /// Select the child with this key (at `depth`, in the frame at that depth) and
    /// list its children. Use this when you know the child's name.
    ExpandElement(IntrospectedElementKey),
    /// Select the child at position `select_index` in the frame at `select_depth`
    /// and list its children. Use this when you know where the child is listed.
    SelectNth {
        /// The frame to select in (0 = the root's children).
        select_depth: usize,
        /// The position of the child in that frame.
        select_index: usize,
    },
    /// Keep the selection; just list the value again.
    Nothing,
    /// Drop the deepest selection.
    Up,
}

/// Why an [`IntrospectorNavCommand`] could not be carried out.
///
/// A failed command leaves the selection as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IntrospectionError {
    /// The depth names no frame of the current result. Frame 0 (the root's
    /// children) always exists; frame `k + 1` exists while the child selected in
    /// frame `k` has children.
    #[error("there is no frame at the requested depth")]
    BadDepth,
    /// No child in the frame has the given key and disambiguator.
    #[error("no child has the requested key")]
    UnknownKey,
    /// The value whose children the frame lists has none.
    #[error("the value has no children to select")]
    NoChildren,
    /// The index is not below the number of children listed in the frame.
    #[error("the child index is out of range")]
    IndexOutOfRange,
    /// `Up` was given with nothing selected.
    #[error("already at the top: nothing is selected")]
    AlreadyAtTop,
}

/// Names one child somewhere in the introspection tree: its depth and its key.
///
/// This is what [`IntrospectorNavCommand::ExpandElement`] takes; the `key` of an
/// [`IntrospectedElement`] from an earlier result can be passed back as is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntrospectedElementKey {
    /// Depth in the tree: the children of the root value are at depth 0.
    pub depth: usize,
    /// The child's key: a field name, an index, a map key.
    pub key: String,
    /// Tells apart children of one parent that share a key: 0 for the first child
    /// with this key, 1 for the second, and so on.
    pub key_disambiguator: usize,
}

/// Prints the bare key.
impl fmt::Display for IntrospectedElementKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)
    }
}

/// One child listed in an [`IntrospectionFrame`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntrospectedElement {
    /// Where the child is and what it is called.
    pub key: IntrospectedElementKey,
    /// The child's own value ([`Introspect::introspect_value`](super::Introspect::introspect_value)).
    pub value: String,
    /// Whether the child has children of its own, i.e. whether selecting it opens a
    /// new frame.
    pub has_children: bool,
    /// Whether the child is the selected one of its frame.
    pub selected: bool,
}

/// Prints `key = value`.
impl fmt::Display for IntrospectedElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.key.key, self.value)
    }
}

/// The listed children of one value on the selected branch.
#[derive(Clone, Debug)]
pub struct IntrospectionFrame {
    /// The index in `keyvals` of the selected child, if one is selected.
    pub selected: Option<usize>,
    /// The children, in the order the value lists them (at most the introspector's
    /// child limit of them).
    pub keyvals: Vec<IntrospectedElement>,
    /// True when the value has more children than the introspector's limit, so
    /// `keyvals` stops short.
    pub limit_reached: bool,
}

/// The selected branch of an introspected value, as one frame per depth.
///
/// Frame 0 lists the root's children; frame `k` lists the children of the element
/// selected in frame `k - 1`. Only one element per frame can be selected, so the
/// frames form a path from the root down.
///
/// The [`Display`](fmt::Display) output is a header line `Introspectionresult:` and
/// then one line per element, in the order of [`total_index`](Self::total_index):
/// `2 * depth` spaces, a one-character marker (`*` for the selected element, `>` for
/// another element with children, a space otherwise) and `key = value`. A result
/// without frames prints `*empty*` after the header. Every line ends with `\n`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct IntrospectionResult {
    /// The frames, root first.
    pub frames: Vec<IntrospectionFrame>,
}

impl IntrospectionResult {
    pub(crate) fn new(frames: Vec<IntrospectionFrame>) -> IntrospectionResult {
        IntrospectionResult { frames }
    }

    /// The element at `index` in the flattened tree, or `None` past the end.
    ///
    /// The flattened order is the one in which the tree reads top to bottom: the
    /// elements of frame 0 up to and including the selected one, then (the same way)
    /// those of frame 1, then the rest of frame 0. Showing the elements in this
    /// order, each indented by its `key.depth`, draws the tree.
    pub fn total_index(&self, index: usize) -> Option<IntrospectedElement> {
        self.rows().nth(index).map(|row| row.element.clone())
    }

    /// The number of elements in all frames together: the end of the valid range
    /// of [`total_index`](Self::total_index).
    pub fn total_len(&self) -> usize {
        self.frames.iter().map(|frame| frame.keyvals.len()).sum()
    }

    /// The result drawn as an indented outline for people to read (its
    /// [`Display`](fmt::Display) prints the format of savefile 0.20, for programs):
    /// one line per element, indented two spaces per level, `- ` before an element
    /// whose children are shown below it, `+ ` before one that has children not
    /// shown, two spaces before a plain value; then `key: value`, or the key alone for
    /// an element without a value of its own. A frame cut short by the introspector's
    /// child limit ends with a `…` line.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use savefile::{Introspector, IntrospectorNavCommand};
    ///
    /// let pets = BTreeMap::from([("Leo".to_string(), vec![7u8, 8]), ("Max".to_string(), vec![])]);
    /// let first = IntrospectorNavCommand::SelectNth { select_depth: 0, select_index: 0 };
    /// let result = Introspector::new().do_introspect(&pets, first).unwrap();
    /// assert_eq!(result.outline().to_string(), "- Leo\n    0: 7\n    1: 8\n  Max\n");
    /// ```
    pub fn outline(&self) -> Outline<'_> {
        Outline(self)
    }

    /// Every element in flattened order, with the depth of its frame.
    fn rows(&self) -> Rows<'_> {
        Rows {
            frames: &self.frames,
            // Each entry is a frame being read and the index of its next element;
            // a selected element pushes the next frame so it is read right below it.
            stack: if self.frames.is_empty() {
                Vec::new()
            } else {
                vec![(0, 0)]
            },
        }
    }
}

impl fmt::Display for IntrospectionResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Introspectionresult:")?;
        if self.frames.is_empty() {
            return writeln!(f, "*empty*");
        }
        for row in self.rows() {
            let marker = if row.selected {
                '*'
            } else if row.element.has_children {
                '>'
            } else {
                ' '
            };
            writeln!(
                f,
                "{:indent$}{marker}{}",
                "",
                row.element,
                indent = 2 * row.depth
            )?;
        }
        Ok(())
    }
}

/// An [`IntrospectionResult`] drawn for people to read: see
/// [`IntrospectionResult::outline`].
#[derive(Clone, Copy, Debug)]
pub struct Outline<'a>(&'a IntrospectionResult);

impl fmt::Display for Outline<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let frames = &self.0.frames;
        let mut rows = self.0.rows().peekable();
        while let Some(row) = rows.next() {
            let marker = match (row.selected, row.element.has_children) {
                (true, _) => "- ",
                (false, true) => "+ ",
                (false, false) => "",
            };
            // Plain values line up with the keys of their siblings that have a marker.
            let pad = if marker.is_empty() { "  " } else { "" };
            let indent = 2 * row.depth;
            write!(f, "{:indent$}{pad}{marker}{}", "", row.element.key.key)?;
            match row.element.value.as_str() {
                "" => writeln!(f)?,
                value => writeln!(f, ": {value}")?,
            }
            // After the last element of a frame cut short, say that more follow.
            let next_depth = rows.peek().map(|next| next.depth);
            if next_depth.is_none_or(|depth| depth < row.depth) {
                if let Some(frame) = frames.get(row.depth) {
                    if frame.limit_reached {
                        writeln!(f, "{:indent$}{pad}…", "")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// One line of the flattened tree.
struct Row<'a> {
    depth: usize,
    selected: bool,
    element: &'a IntrospectedElement,
}

/// Walks the frames depth first; see [`IntrospectionResult::total_index`].
struct Rows<'a> {
    frames: &'a [IntrospectionFrame],
    stack: Vec<(usize, usize)>,
}

impl<'a> Iterator for Rows<'a> {
    type Item = Row<'a>;

    fn next(&mut self) -> Option<Row<'a>> {
        loop {
            let (depth, next) = self.stack.last_mut()?;
            let depth = *depth;
            let frame = &self.frames[depth];
            let Some(element) = frame.keyvals.get(*next) else {
                self.stack.pop();
                continue;
            };
            let selected = frame.selected == Some(*next);
            *next += 1;
            // `frames` is public and may have been edited: only descend into a
            // frame that is there.
            if selected && depth + 1 < self.frames.len() {
                self.stack.push((depth + 1, 0));
            }
            return Some(Row {
                depth,
                selected,
                element,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::introspect::Introspector;
    use crate::introspect::{introspect_item, Introspect, IntrospectItem};

    fn element(depth: usize, key: &str, value: &str, has_children: bool) -> IntrospectedElement {
        IntrospectedElement {
            key: IntrospectedElementKey {
                depth,
                key: key.to_string(),
                key_disambiguator: 0,
            },
            value: value.to_string(),
            has_children,
            selected: false,
        }
    }

    fn frame(selected: Option<usize>, keyvals: Vec<IntrospectedElement>) -> IntrospectionFrame {
        IntrospectionFrame {
            selected,
            keyvals,
            limit_reached: false,
        }
    }

    /// a, *b{ c, *d{ e }, f }, g: three frames, selections in the middle of each.
    fn three_levels() -> IntrospectionResult {
        IntrospectionResult::new(vec![
            frame(
                Some(1),
                vec![
                    element(0, "a", "1", false),
                    element(0, "b", "B", true),
                    element(0, "g", "7", false),
                ],
            ),
            frame(
                Some(1),
                vec![
                    element(1, "c", "3", false),
                    element(1, "d", "D", true),
                    element(1, "f", "6", false),
                ],
            ),
            frame(None, vec![element(2, "e", "5", false)]),
        ])
    }

    struct Weight {
        value: u32,
        unit: String,
    }

    struct Person {
        name: String,
        age: u16,
        weight: Weight,
    }

    // Written out the way `#[derive(Savefile)]` will: the type name as value, one
    // child per field.
    impl Introspect for Weight {
        fn introspect_value(&self) -> String {
            "Weight".to_string()
        }
        fn introspect_child<'a>(
            &'a self,
            index: usize,
        ) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
            match index {
                0 => Some(introspect_item("value".to_string(), &self.value)),
                1 => Some(introspect_item("unit".to_string(), &self.unit)),
                _ => None,
            }
        }
    }

    impl Introspect for Person {
        fn introspect_value(&self) -> String {
            "Person".to_string()
        }
        fn introspect_child<'a>(
            &'a self,
            index: usize,
        ) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
            match index {
                0 => Some(introspect_item("name".to_string(), &self.name)),
                1 => Some(introspect_item("age".to_string(), &self.age)),
                2 => Some(introspect_item("weight".to_string(), &self.weight)),
                _ => None,
            }
        }
    }

    fn leo() -> Person {
        let weight = Weight {
            value: 26,
            unit: "kg".into(),
        };
        Person {
            name: "Leo".into(),
            age: 8,
            weight,
        }
    }

    #[test]
    fn the_reference_example_selects_weight() {
        let mut introspector = Introspector::new();
        let select = IntrospectorNavCommand::SelectNth {
            select_depth: 0,
            select_index: 2,
        };
        let result = introspector.do_introspect(&leo(), select).unwrap();
        assert_eq!(introspector.num_frames(), 1);

        let mut weight = element(0, "weight", "Weight", true);
        weight.selected = true;
        let top = [
            element(0, "name", "Leo", false),
            element(0, "age", "8", false),
            weight,
        ];
        let below = [
            element(1, "value", "26", false),
            element(1, "unit", "kg", false),
        ];
        assert_eq!(result.frames.len(), 2);
        assert_eq!(
            (result.frames[0].selected, &result.frames[0].keyvals[..]),
            (Some(2), &top[..])
        );
        assert_eq!(
            (result.frames[1].selected, &result.frames[1].keyvals[..]),
            (None, &below[..])
        );
        assert!(result.frames.iter().all(|frame| !frame.limit_reached));

        assert_eq!(
            result.to_string(),
            "Introspectionresult:\n name = Leo\n age = 8\n*weight = Weight\n   value = 26\n   unit = kg\n"
        );
        // The flat view runs through both frames in the same order.
        assert_eq!(result.total_len(), 5);
        let flat: Vec<IntrospectedElement> =
            (0..5).map(|i| result.total_index(i).unwrap()).collect();
        assert_eq!(flat, [&top[..], &below[..]].concat());
        assert_eq!(result.total_index(5), None);
    }

    #[test]
    fn total_index_reads_the_tree_top_to_bottom() {
        let result = three_levels();
        assert_eq!(result.total_len(), 7);
        let keys: Vec<String> = (0..result.total_len())
            .map(|i| result.total_index(i).unwrap().key.key)
            .collect();
        assert_eq!(keys, ["a", "b", "c", "d", "e", "f", "g"]);
        assert_eq!(result.total_index(7), None);
        assert_eq!(result.total_index(usize::MAX), None);
    }

    #[test]
    fn display_indents_by_depth_and_marks_selection_and_children() {
        let mut result = three_levels();
        result.frames[2].keyvals[0].has_children = true;
        assert_eq!(
            result.to_string(),
            "Introspectionresult:\n a = 1\n*b = B\n   c = 3\n  *d = D\n    >e = 5\n   f = 6\n g = 7\n"
        );
    }

    #[test]
    fn the_outline_marks_opened_and_closed_elements_and_cut_frames() {
        let mut result = three_levels();
        result.frames[2].keyvals[0].has_children = true;
        result.frames[1].limit_reached = true;
        result.frames[1].keyvals[1].value = String::new();
        assert_eq!(
            result.outline().to_string(),
            "  a: 1\n- b: B\n    c: 3\n  - d\n    + e: 5\n    f: 6\n    …\n  g: 7\n"
        );
        assert_eq!(
            IntrospectionResult::new(Vec::new()).outline().to_string(),
            ""
        );
    }

    #[test]
    fn empty_and_inconsistent_results_do_not_panic() {
        let empty = IntrospectionResult::new(Vec::new());
        assert_eq!(empty.to_string(), "Introspectionresult:\n*empty*\n");
        assert_eq!(empty.total_len(), 0);
        assert_eq!(empty.total_index(0), None);

        // A selection whose frame below is missing, then one past its frame's end.
        let mut odd = three_levels();
        odd.frames.truncate(1);
        assert_eq!(odd.total_index(2).unwrap().key.key, "g");
        assert!(odd.to_string().contains("\n*b = B\n g = 7\n"));
        odd.frames[0].selected = Some(9);
        assert_eq!(odd.total_len(), 3);
        assert_eq!(odd.total_index(2).unwrap().key.key, "g");
        assert_eq!(
            odd.to_string(),
            "Introspectionresult:\n a = 1\n>b = B\n g = 7\n"
        );
    }

    #[test]
    fn keys_and_elements_display_as_text() {
        let e = element(3, "unit", "kg", false);
        assert_eq!(e.to_string(), "unit = kg");
        assert_eq!(e.key.to_string(), "unit");
        assert_eq!(
            IntrospectedElementKey::default(),
            IntrospectedElementKey {
                depth: 0,
                key: String::new(),
                key_disambiguator: 0
            }
        );
    }
}
