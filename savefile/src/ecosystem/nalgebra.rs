//! nalgebra 0.33's `Point3<T>`, `Vector3<T>` and `Isometry3<T>`: the nalgebra types
//! savefile 0.20 covers, with its schemas and bytes.
//!
//! - `Point3<T>` and `Vector3<T>` are their components x, y, z, each as `T` saves
//!   itself. Their schema is `Array { item_type: T, count: 3 }`, the schema of
//!   `[T; 3]`, so a file of either loads as the other or as `[T; 3]`.
//! - `Isometry3<T>` is the translation x, y, z, then the rotation's quaternion w, x,
//!   y, z: seven `T`s, with the schema `Array { item_type: T, count: 7 }`. The
//!   quaternion is loaded as saved, not normalised again (as in savefile 0.20).
//!
//! `T`'s own schema is the item type, as in savefile 0.20 (an array of `T` registers
//! `T` for recursion checks first; for the scalars these types hold that changes
//! nothing).
//!
//! **Packed:** `Point3<T>` and `Vector3<T>` are packed exactly when `[T; 3]` is and
//! the vector is nothing but its three components: nalgebra keeps them in the one
//! column of its array storage (`vector.data.0`, named in the code below, so the
//! compiler checks that the storage is still that array), and the size of the whole
//! vector must equal the size of that array, which leaves no room for anything else.
//! savefile 0.20 checks the same at run time by the addresses of x, y and z, which
//! needs `T: Default`; this needs nothing. `Isometry3<T>` is never packed, as in
//! 0.20: nalgebra stores the rotation first and the quaternion as x, y, z, w, so its
//! memory is not in the saved order.
//!
//! **Bounds:** `T: nalgebra::Scalar` and `T`'s own savefile traits; unlike savefile
//! 0.20, loading needs no `RealField` (nor `Default` for packing), so any scalar
//! nalgebra accepts works.
//!
//! **Introspection:** like a derived struct, the value is the type's name and the
//! children are named: `x`, `y`, `z` for points and vectors; `translation` (a
//! `Vector3`) and `rotation` (the quaternion, with children `w`, `x`, `y`, `z` in
//! saved order) for an isometry. (savefile 0.20 shows the `Debug` text with no
//! children; the children here need `T: Introspect`.)

use std::io::{Read, Write};

use nalgebra::{Isometry3, Point3, Quaternion, Scalar, Translation3, UnitQuaternion, Vector3};

use crate::packed::{bulk_copy, BulkCopy};
use crate::traits::{bits_sum, read_fixed_part, read_whole_fixed, write_field, Gathered};
use crate::{
    introspect_item, Deserialize, Deserializer, Introspect, IntrospectItem, IsPacked, Packed,
    SavefileError, Schema, SchemaArray, Serialize, Serializer, WithSchema, WithSchemaContext,
};

/// The three components of `vector` where nalgebra keeps them: the one column of
/// its array storage, x first.
fn components<T>(vector: &Vector3<T>) -> &[T; 3] {
    let [column] = &vector.data.0;
    column
}

/// True when a value of `V`, which holds a `[T; 3]` (its components), is exactly as
/// large as that array: then the array fills it, from its first byte to its last,
/// and nothing else (no padding, no other field) is in it.
const fn only_components<V, T>() -> bool {
    std::mem::size_of::<V>() == std::mem::size_of::<[T; 3]>()
}

/// The schema of `count` consecutive `T`s, as savefile 0.20 writes it for these types.
fn array_of<T: WithSchema>(count: usize, version: u32, context: &mut WithSchemaContext) -> Schema {
    Schema::Array(SchemaArray {
        item_type: Box::new(T::schema(version, context)),
        count,
    })
}

/// The gathered bits (see [`Serialize::__savefile_bits`]) of the three components,
/// x in the lowest bytes; only asked when their sizes add up to at most 8 bytes.
fn bits_of_three<T: Serialize>([x, y, z]: &[T; 3]) -> u64 {
    let size = T::__SAVEFILE_BITS_SIZE.unwrap_or(0) as u32;
    let shifted = |part: &T, at: u32| part.__savefile_bits().checked_shl(8 * at).unwrap_or(0);
    shifted(x, 0) | shifted(y, size) | shifted(z, 2 * size)
}

/// Reads three `T`s from exactly their fixed size of bytes.
fn read_three<T: Deserialize>(bytes: &[u8], version: u32) -> Result<[T; 3], SavefileError> {
    let mut block = bytes;
    Ok([
        read_fixed_part(&mut block, version)?,
        read_fixed_part(&mut block, version)?,
        read_fixed_part(&mut block, version)?,
    ])
}

/// The fixed size of `count` values of fixed size `size`, if there is one.
const fn times(size: Option<usize>, count: usize) -> Option<usize> {
    match size {
        Some(size) => size.checked_mul(count),
        None => None,
    }
}

/// Everything but `Packed` for a type saved as its three components, given how to
/// view a value as them and how to make one from them.
macro_rules! three_components {
    ($name:literal, $ty:ty, |$value:ident| $view:expr, $make:expr) => {
        impl<T: Scalar + WithSchema> WithSchema for $ty {
            fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
                array_of::<T>(3, version, context)
            }
        }

        impl<T: Scalar + Serialize + Packed> Serialize for $ty {
            #[inline]
            fn serialize(
                &self,
                serializer: &mut Serializer<impl Write>,
            ) -> Result<(), SavefileError> {
                let $value = self;
                <[T; 3]>::serialize($view, serializer)
            }

            const __SAVEFILE_BITS_SIZE: Option<usize> = bits_sum(&[T::__SAVEFILE_BITS_SIZE; 3]);

            #[inline(always)]
            fn __savefile_bits(&self) -> u64 {
                let $value = self;
                bits_of_three($view)
            }
        }

        crate::borrowed::borrowed_as_owned!(impl[T: Scalar] $ty);

        impl<T: Scalar + Deserialize + Packed> Deserialize for $ty {
            const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;
            const __SAVEFILE_FIXED_SIZE: Option<usize> = times(T::__SAVEFILE_FIXED_SIZE, 3);
            const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE.saturating_mul(3);

            #[inline]
            fn deserialize(
                deserializer: &mut Deserializer<impl Read>,
            ) -> Result<Self, SavefileError> {
                let make: fn([T; 3]) -> Self = $make;
                <[T; 3]>::deserialize(deserializer).map(make)
            }

            #[inline]
            fn __savefile_read_fixed(bytes: &[u8], version: u32) -> Result<Self, SavefileError> {
                let make: fn([T; 3]) -> Self = $make;
                read_three(bytes, version).map(make)
            }
        }

        impl<T: Scalar + Introspect> Introspect for $ty {
            fn introspect_value(&self) -> String {
                $name.to_string()
            }
            fn introspect_child<'a>(
                &'a self,
                index: usize,
            ) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
                let $value = self;
                let components: &'a [T; 3] = $view;
                let key = ["x", "y", "z"].get(index)?;
                Some(introspect_item(key.to_string(), components.get(index)?))
            }
            fn introspect_len(&self) -> usize {
                3
            }
        }
    };
}

three_components!(
    "Vector3",
    Vector3<T>,
    |value| components(value),
    Vector3::from
);
three_components!(
    "Point3",
    Point3<T>,
    |value| components(&value.coords),
    Point3::from
);

#[allow(unsafe_code)] // The promise that the layout checked above allows copying.
impl<T: Packed> Packed for Vector3<T> {
    #[inline]
    unsafe fn repr_c_optimization_safe(version: u32) -> IsPacked {
        if only_components::<Self, T>() {
            // SAFETY: a `Vector3<T>` holds its components as a `[[T; 3]; 1]`
            // (`components` above reads it, so the compiler checks that type), and its
            // other field is a zero-sized marker. The sizes are equal, so that array
            // fills the vector: the vector's bytes are exactly the bytes of a `[T; 3]`
            // in the order x, y, z, which is what `serialize` writes, and any bytes a
            // `[T; 3]` accepts make a valid vector (a vector has no other invariant).
            // Whatever `[T; 3]` promises for this version thus holds for the vector.
            unsafe { <[T; 3]>::repr_c_optimization_safe(version) }
        } else {
            IsPacked::no()
        }
    }

    #[inline]
    unsafe fn __savefile_bulk_copy(version: u32) -> BulkCopy {
        // As above: the vector's bytes are those of a `[T; 3]`, so it may be copied
        // the way that array is, with that array's check.
        if only_components::<Self, T>() {
            bulk_copy::<[T; 3]>(version)
        } else {
            BulkCopy::No
        }
    }

    fn __savefile_check(version: u32, bytes: &[u8]) -> Result<(), SavefileError> {
        <[T; 3]>::__savefile_check(version, bytes)
    }
}

#[allow(unsafe_code)] // The promise that the layout checked above allows copying.
impl<T: Scalar + Packed> Packed for Point3<T> {
    #[inline]
    unsafe fn repr_c_optimization_safe(version: u32) -> IsPacked {
        if only_components::<Self, T>() {
            // SAFETY: a point's one field is its `coords`, a `Vector3<T>`, which holds
            // the components as a `[[T; 3]; 1]` (`components(&point.coords)` checks the
            // types); the sizes are equal, so the point's bytes are exactly that
            // array's, x, y, z as `serialize` writes them, and any bytes the array
            // accepts make a valid point. So `[T; 3]`'s promise holds for the point.
            unsafe { <[T; 3]>::repr_c_optimization_safe(version) }
        } else {
            IsPacked::no()
        }
    }

    #[inline]
    unsafe fn __savefile_bulk_copy(version: u32) -> BulkCopy {
        // As above: copied the way `[T; 3]` is, with its check.
        if only_components::<Self, T>() {
            bulk_copy::<[T; 3]>(version)
        } else {
            BulkCopy::No
        }
    }

    fn __savefile_check(version: u32, bytes: &[u8]) -> Result<(), SavefileError> {
        <[T; 3]>::__savefile_check(version, bytes)
    }
}

/// The rotation of `isometry` in saved order: w, x, y, z.
fn rotation_parts<T: Scalar>(isometry: &Isometry3<T>) -> [&T; 4] {
    let coords = &isometry.rotation.coords;
    [&coords.w, &coords.x, &coords.y, &coords.z]
}

impl<T: WithSchema> WithSchema for Isometry3<T> {
    fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
        array_of::<T>(7, version, context)
    }
}

impl<T: Scalar + Serialize> Serialize for Isometry3<T> {
    fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
        let [x, y, z] = components(&self.translation.vector);
        // Small components (up to 4 bytes) go out two or more at a time.
        let mut gathered = Gathered::default();
        for part in [x, y, z].into_iter().chain(rotation_parts(self)) {
            write_field(serializer, part, &mut gathered)?;
        }
        gathered.flush(serializer)
    }
}

/// The isometry with translation `[x, y, z]` and rotation `[w, x, y, z]`, the
/// quaternion taken as it is.
fn isometry<T: Scalar>([x, y, z]: [T; 3], [qw, qx, qy, qz]: [T; 4]) -> Isometry3<T> {
    Isometry3 {
        rotation: UnitQuaternion::new_unchecked(Quaternion::new(qw, qx, qy, qz)),
        translation: Translation3 {
            vector: Vector3::from([x, y, z]),
        },
    }
}

crate::borrowed::borrowed_as_owned!(impl[T: Scalar] Isometry3<T>);

impl<T: Scalar + Deserialize> Deserialize for Isometry3<T> {
    const __SAVEFILE_FLAT: bool = T::__SAVEFILE_FLAT;
    const __SAVEFILE_FIXED_SIZE: Option<usize> = times(T::__SAVEFILE_FIXED_SIZE, 7);
    const __SAVEFILE_MIN_SIZE: usize = T::__SAVEFILE_MIN_SIZE.saturating_mul(7);

    fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
        // All seven at once, when their size is fixed and the bytes are there.
        if let Some(value) = read_whole_fixed::<Self>(deserializer)? {
            return Ok(value);
        }
        // Array expressions evaluate left to right: the saved order.
        let translation = [
            T::deserialize(deserializer)?,
            T::deserialize(deserializer)?,
            T::deserialize(deserializer)?,
        ];
        let rotation = [
            T::deserialize(deserializer)?,
            T::deserialize(deserializer)?,
            T::deserialize(deserializer)?,
            T::deserialize(deserializer)?,
        ];
        Ok(isometry(translation, rotation))
    }

    fn __savefile_read_fixed(bytes: &[u8], version: u32) -> Result<Self, SavefileError> {
        let mut block = bytes;
        let mut next = || read_fixed_part::<T>(&mut block, version);
        let translation = [next()?, next()?, next()?];
        let rotation = [next()?, next()?, next()?, next()?];
        Ok(isometry(translation, rotation))
    }
}

/// Never packed: nalgebra stores the rotation (as x, y, z, w) before the
/// translation, which is not the saved order.
impl<T> Packed for Isometry3<T> {}

/// The rotation of an isometry, for introspection: a quaternion whose children are
/// w, x, y, z.
struct Rotation<'a, T: Scalar>(&'a Isometry3<T>);

impl<T: Scalar + Introspect> Introspect for Rotation<'_, T> {
    fn introspect_value(&self) -> String {
        "UnitQuaternion".to_string()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        let key = ["w", "x", "y", "z"].get(index)?;
        let part: &'a T = rotation_parts(self.0).get(index)?;
        Some(introspect_item(key.to_string(), part))
    }
    fn introspect_len(&self) -> usize {
        4
    }
}

/// The `rotation` child of an isometry, which owns its [`Rotation`] view.
struct RotationItem<'a, T: Scalar>(Rotation<'a, T>);

impl<'a, T: Scalar + Introspect> IntrospectItem<'a> for RotationItem<'a, T> {
    fn key(&self) -> &str {
        "rotation"
    }
    fn val(&self) -> &dyn Introspect {
        &self.0
    }
}

impl<T: Scalar + Introspect> Introspect for Isometry3<T> {
    fn introspect_value(&self) -> String {
        "Isometry3".to_string()
    }
    fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
        match index {
            0 => Some(introspect_item(
                "translation".to_string(),
                &self.translation.vector,
            )),
            1 => Some(Box::new(RotationItem(Rotation(self)))),
            _ => None,
        }
    }
    fn introspect_len(&self) -> usize {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::is_packed;
    use crate::SchemaPrimitive;

    /// The little-endian bytes of each of `values`, one after another.
    fn f32_bytes(values: &[f32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    fn f64_bytes(values: &[f64]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// An isometry with distinct components everywhere, the quaternion not normalised
    /// (as a file may hold): translation (1, 2, 3), w = 4, x = 5, y = 6, z = 7.
    fn distinct_isometry() -> Isometry3<f32> {
        isometry([1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0])
    }

    fn bare_file<T: WithSchema + Serialize>(value: &T) -> Vec<u8> {
        let mut out = Vec::new();
        crate::save_noschema(&mut out, 0, value).unwrap();
        out
    }

    #[test]
    fn vectors_and_points_are_x_y_z_as_savefile_0_20_writes_them() {
        let bytes = assert_roundtrip(&Vector3::new(1.0f32, -2.5, 3.0));
        assert_eq!(bytes, f32_bytes(&[1.0, -2.5, 3.0]));
        let bytes = assert_roundtrip(&Point3::new(0.25f64, 1e300, -0.0));
        assert_eq!(bytes, f64_bytes(&[0.25, 1e300, -0.0]));
        assert_eq!(assert_roundtrip(&Vector3::new(7u8, 8, 9)), [7, 8, 9]);
        assert_eq!(
            assert_roundtrip(&Point3::new(-1i16, 2, 0x0304)),
            [0xff, 0xff, 2, 0, 4, 3]
        );
        // Components of any size, fixed or not.
        let words = Vector3::new("a".to_string(), String::new(), "bc".to_string());
        let mut expected = vec![1, 0, 0, 0, 0, 0, 0, 0, b'a'];
        expected.extend_from_slice(&[0; 8]);
        expected.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0, b'b', b'c']);
        assert_eq!(assert_roundtrip(&words), expected);
    }

    #[test]
    fn an_isometry_is_its_translation_then_w_x_y_z() {
        let bytes = assert_roundtrip(&distinct_isometry());
        assert_eq!(bytes, f32_bytes(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]));
        // A real rotation: a quarter turn about z, cos 45° in w and sin 45° in z.
        let turn = Isometry3::new(
            Vector3::new(10.0f64, 20.0, 30.0),
            Vector3::new(0.0, 0.0, std::f64::consts::FRAC_PI_2),
        );
        let half = std::f64::consts::FRAC_1_SQRT_2;
        let bytes = assert_roundtrip(&turn);
        assert_eq!(bytes.len(), 56);
        assert_eq!(bytes[..24], f64_bytes(&[10.0, 20.0, 30.0]));
        let rotation: Vec<f64> = bytes[24..]
            .chunks(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        let expected = [half, 0.0, 0.0, half];
        for (got, want) in rotation.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{rotation:?}");
        }
        // Components of no fixed size take the element-by-element path.
        let words = isometry(
            ["t".to_string(), String::new(), String::new()],
            [
                "w".to_string(),
                "x".to_string(),
                String::new(),
                "z".to_string(),
            ],
        );
        // (An isometry of strings has no `PartialEq`: its parts are compared.)
        let file = bare_file(&words);
        let bytes = &file[16..];
        assert_eq!(bytes.len(), 7 * 8 + 4);
        assert_eq!(bytes[8..9], *b"t");
        assert_eq!(bytes[33..34], *b"w");
        let back: Isometry3<String> = crate::load_from_mem_noschema(&file, 0).unwrap();
        assert_eq!(back.translation.vector, words.translation.vector);
        assert_eq!(back.rotation.coords, words.rotation.coords);
        for cut in 16..file.len() {
            assert!(crate::load_from_mem_noschema::<Isometry3<String>>(&file[..cut], 0).is_err());
            assert!(crate::load_noschema::<Isometry3<String>>(&mut &file[..cut], 0).is_err());
        }
    }

    #[test]
    fn inside_tuples_the_fixed_size_reads_and_gathered_writes_agree() {
        // A tuple of fixed-size parts is read as one block (`__savefile_read_fixed`)
        // and writes small parts gathered (`__savefile_bits`).
        let value = (
            1u8,
            Vector3::new(2u8, 3, 4),
            Point3::new(5u16, 6, 7),
            distinct_isometry(),
        );
        let mut expected = vec![1, 2, 3, 4, 5, 0, 6, 0, 7, 0];
        expected.extend_from_slice(&f32_bytes(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]));
        assert_eq!(assert_roundtrip(&value), expected);
        assert_eq!(Vector3::<u8>::__SAVEFILE_BITS_SIZE, Some(3));
        assert_eq!(Point3::<u16>::__SAVEFILE_BITS_SIZE, Some(6));
        assert_eq!(Vector3::<f32>::__SAVEFILE_BITS_SIZE, None);
        assert_eq!(Vector3::<f32>::__SAVEFILE_FIXED_SIZE, Some(12));
        assert_eq!(Isometry3::<f64>::__SAVEFILE_FIXED_SIZE, Some(56));
        assert_eq!(Vector3::<String>::__SAVEFILE_FIXED_SIZE, None);
        assert_eq!(Isometry3::<String>::__SAVEFILE_MIN_SIZE, 56);
    }

    #[test]
    fn schemas_are_arrays_of_the_scalar() {
        let f32_array = |count| {
            Schema::Array(SchemaArray {
                item_type: Box::new(Schema::Primitive(SchemaPrimitive::schema_f32)),
                count,
            })
        };
        assert_eq!(crate::get_schema::<Vector3<f32>>(0), f32_array(3));
        assert_eq!(crate::get_schema::<Point3<f32>>(0), f32_array(3));
        assert_eq!(crate::get_schema::<Isometry3<f32>>(0), f32_array(7));
        assert_eq!(
            crate::get_schema::<Vector3<f32>>(0),
            crate::get_schema::<[f32; 3]>(0)
        );
        assert_eq!(
            crate::get_schema::<Isometry3<f64>>(0),
            crate::get_schema::<[f64; 7]>(0)
        );
    }

    #[test]
    fn files_move_between_these_types_and_arrays() {
        let array = crate::save_to_mem(0, &[1.0f32, 2.0, 3.0]).unwrap();
        let vector: Vector3<f32> = crate::load_from_mem(&array, 0).unwrap();
        assert_eq!(vector, Vector3::new(1.0, 2.0, 3.0));
        let point: Point3<f32> = crate::load_from_mem(&array, 0).unwrap();
        assert_eq!(point, Point3::new(1.0, 2.0, 3.0));
        let back: [f32; 3] =
            crate::load_from_mem(&crate::save_to_mem(0, &point).unwrap(), 0).unwrap();
        assert_eq!(back, [1.0, 2.0, 3.0]);
        let file = crate::save_to_mem(0, &distinct_isometry()).unwrap();
        let seven: [f32; 7] = crate::load_from_mem(&file, 0).unwrap();
        assert_eq!(seven, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
        let file = crate::save_to_mem(0, &seven).unwrap();
        let loaded: Isometry3<f32> = crate::load_from_mem(&file, 0).unwrap();
        assert_eq!(loaded, distinct_isometry());
        // Other scalars or lengths do not load.
        assert!(matches!(
            crate::load_from_mem::<Vector3<f64>>(&array, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
        assert!(matches!(
            crate::load_from_mem::<Isometry3<f32>>(&array, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
    }

    #[test]
    fn points_and_vectors_are_packed_when_their_scalar_is() {
        assert_eq!(is_packed::<Vector3<f32>>(0), cfg!(target_endian = "little"));
        assert_eq!(is_packed::<Point3<f64>>(0), cfg!(target_endian = "little"));
        assert_eq!(is_packed::<Point3<u8>>(0), cfg!(target_endian = "little"));
        assert!(!is_packed::<Vector3<String>>(0));
        assert!(!is_packed::<Vector3<usize>>(0));
        assert!(!is_packed::<Isometry3<f32>>(0));
        assert_eq!(bulk_copy::<Vector3<bool>>(0), BulkCopy::Checked);
        assert_eq!(bulk_copy::<Isometry3<f64>>(0), BulkCopy::No);
    }

    #[test]
    fn a_vector_of_vectors_is_copied_in_bulk() {
        assert_eq!(bulk_copy::<Vector3<f32>>(0), BulkCopy::Plain);
        // 30 000 vectors are 360 000 bytes: several chunks of a stream read.
        let items: Vec<Vector3<f32>> = (0..30_000)
            .map(|i| Vector3::new(i as f32, -(i as f32), 0.5 * i as f32))
            .collect();
        let file = bare_file(&items);
        let mut one_by_one = Vec::new();
        for item in &items {
            one_by_one.extend_from_slice(&f32_bytes(&[item.x, item.y, item.z]));
        }
        assert_eq!(&file[16..24], &30_000u64.to_le_bytes());
        assert_eq!(&file[24..], &one_by_one[..]);
        let from_memory: Vec<Vector3<f32>> = crate::load_from_mem_noschema(&file, 0).unwrap();
        assert_eq!(from_memory, items);
        let from_stream: Vec<Vector3<f32>> = crate::load_noschema(&mut &file[..], 0).unwrap();
        assert_eq!(from_stream, items);
        let points: Vec<Point3<f32>> = crate::load_from_mem_noschema(&file, 0).unwrap();
        assert_eq!(points[29_999], Point3::new(29_999.0, -29_999.0, 14_999.5));
        for cut in [25, file.len() / 2, file.len() - 1] {
            assert!(crate::load_from_mem_noschema::<Vec<Vector3<f32>>>(&file[..cut], 0).is_err());
            assert!(crate::load_noschema::<Vec<Vector3<f32>>>(&mut &file[..cut], 0).is_err());
        }
    }

    #[test]
    fn a_bad_component_in_a_bulk_copy_is_an_error() {
        let flags = vec![Vector3::new(true, false, true); 1000];
        let mut file = bare_file(&flags);
        assert_eq!(
            crate::load_from_mem_noschema::<Vec<Vector3<bool>>>(&file, 0).unwrap(),
            flags
        );
        let last = file.len() - 2;
        file[last] = 2;
        assert!(matches!(
            crate::load_from_mem_noschema::<Vec<Vector3<bool>>>(&file, 0),
            Err(SavefileError::InvalidBool { value: 2 })
        ));
        assert!(matches!(
            crate::load_noschema::<Vec<Point3<bool>>>(&mut &file[..], 0),
            Err(SavefileError::InvalidBool { value: 2 })
        ));
    }

    #[test]
    fn introspection_names_the_components() {
        let vector = Vector3::new(1u8, 2, 3);
        assert_eq!(vector.introspect_value(), "Vector3");
        assert_eq!(vector.introspect_len(), 3);
        let children: Vec<(String, String)> = (0..3)
            .map(|i| {
                let child = vector.introspect_child(i).unwrap();
                (child.key().to_string(), child.val().introspect_value())
            })
            .collect();
        assert_eq!(
            children,
            [("x", "1"), ("y", "2"), ("z", "3")].map(|(k, v)| (k.to_string(), v.to_string()))
        );
        assert!(vector.introspect_child(3).is_none());
        let point = Point3::new(4u8, 5, 6);
        assert_eq!(point.introspect_value(), "Point3");
        assert_eq!(
            point.introspect_child(2).unwrap().val().introspect_value(),
            "6"
        );

        let iso = distinct_isometry();
        assert_eq!(iso.introspect_value(), "Isometry3");
        assert_eq!(iso.introspect_len(), 2);
        let translation = iso.introspect_child(0).unwrap();
        assert_eq!(translation.key(), "translation");
        assert_eq!(translation.val().introspect_value(), "Vector3");
        assert_eq!(
            translation
                .val()
                .introspect_child(2)
                .unwrap()
                .val()
                .introspect_value(),
            "3"
        );
        let rotation = iso.introspect_child(1).unwrap();
        assert_eq!(rotation.key(), "rotation");
        assert_eq!(rotation.val().introspect_len(), 4);
        let parts: Vec<(String, String)> = (0..4)
            .map(|i| {
                let child = rotation.val().introspect_child(i).unwrap();
                (child.key().to_string(), child.val().introspect_value())
            })
            .collect();
        assert_eq!(
            parts,
            [("w", "4"), ("x", "5"), ("y", "6"), ("z", "7")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        assert!(rotation.val().introspect_child(4).is_none());
        assert!(iso.introspect_child(2).is_none());
    }
}
