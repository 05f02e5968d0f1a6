//! glam 0.34's vectors, quaternions and matrices (not covered by savefile 0.20, so
//! the format is ours): each is saved as the array of its scalar that glam converts
//! it to and from.
//!
//! | types | scalar | saved as |
//! |:--|:--|:--|
//! | `Vec2`, `Vec3`, `Vec3A`, `Vec4` | f32 | `to_array()`: x, y, (z, (w)) |
//! | `DVec2`, `DVec3`, `DVec4` | f64 | the same |
//! | `IVec2`, `IVec3`, `IVec4` | i32 | the same |
//! | `UVec2`, `UVec3`, `UVec4` | u32 | the same |
//! | `Quat` / `DQuat` | f32 / f64 | `to_array()`: x, y, z, w (glam's order; w last) |
//! | `Mat2`, `Mat3`, `Mat3A`, `Mat4` | f32 | `to_cols_array()`: column-major, the first column (`x_axis`) first |
//! | `DMat2`, `DMat3`, `DMat4` | f64 | the same |
//!
//! The schema of a type of N components is that of `[scalar; N]`,
//! `Array { item_type: scalar, count: N }` (16 for `Mat4`), so a file of `[f32; 3]`
//! loads as a `Vec3` (or `Vec3A`) and the other way round. `Vec3A` and `Mat3A` save
//! no padding: they are `Vec3` and `Mat3` on disk. Every scalar value is accepted
//! (a quaternion is loaded as saved, not normalised).
//!
//! **Packed:** a type is copied in bulk when its memory is exactly the array it is
//! saved as, which each impl checks for the build at hand (glam's layouts vary with
//! SIMD, `scalar-math` and `cuda`): the value is as large as `[scalar; N]`, so it
//! has no padding; glam's `AsRef<[scalar; N]>` views it from its first byte; and on
//! a sample with distinct components that view equals what `serialize` writes. All
//! of the types above pass, except `Vec3A` (16 bytes: a padding lane) and `Mat3A`
//! (three such columns, 48 bytes), which are never packed.
//!
//! **Introspection:** like a derived struct, the value is the type's name, and the
//! children are the components `x`, `y`, (`z`, (`w`)) for vectors and quaternions, and
//! the columns `x_axis`, `y_axis`, … (vectors themselves) for matrices.

use std::io::{Read, Write};

use glam::{
    DMat2, DMat3, DMat4, DQuat, DVec2, DVec3, DVec4, IVec2, IVec3, IVec4, Mat2, Mat3, Mat3A, Mat4,
    Quat, UVec2, UVec3, UVec4, Vec2, Vec3, Vec3A, Vec4,
};

use crate::traits::{bits_sum, read_fixed_part};
use crate::{
    introspect_item, Deserialize, Deserializer, Introspect, IntrospectItem, IsPacked, Packed,
    SavefileError, Schema, SchemaArray, Serialize, Serializer, WithSchema, WithSchemaContext,
};

/// The gathered bits (see [`Serialize::__savefile_bits`]) of `parts`, the first in
/// the lowest bytes; only asked when their sizes add up to at most 8 bytes.
fn gathered_bits<S: Serialize, const N: usize>(parts: &[S; N]) -> u64 {
    let size = S::__SAVEFILE_BITS_SIZE.unwrap_or(0);
    let mut bits = 0;
    for (index, part) in parts.iter().enumerate() {
        let shift = u32::try_from(8 * size * index).unwrap_or(u32::MAX);
        bits |= part.__savefile_bits().checked_shl(shift).unwrap_or(0);
    }
    bits
}

/// Reads `N` scalars from exactly their fixed size of bytes.
fn read_fixed_array<S: Deserialize + Copy + Default, const N: usize>(
    bytes: &[u8],
    version: u32,
) -> Result<[S; N], SavefileError> {
    let mut block = bytes;
    let mut parts = [S::default(); N];
    for part in &mut parts {
        *part = read_fixed_part(&mut block, version)?;
    }
    Ok(parts)
}

/// True when every value of `V` is, in memory, exactly the `[S; N]` it is saved as:
/// `V` is as large as that array (so it holds nothing else, no padding either),
/// `sample`'s `AsRef` view of it starts at its first byte, and that view equals
/// `saved`, the array `sample` is saved as (the sample's components all differ, so
/// any reordering would show).
fn is_its_array<V: AsRef<[S; N]>, S: PartialEq, const N: usize>(
    sample: &V,
    saved: &[S; N],
) -> bool {
    std::mem::size_of::<V>() == std::mem::size_of::<[S; N]>()
        && std::ptr::addr_eq(sample.as_ref(), sample)
        && sample.as_ref() == saved
}

/// Implements every trait for glam types: `Type: scalar * count, how it converts
/// (array or cols), [children], packed or padded;`.
macro_rules! glam_types {
    ($($ty:ident: $scalar:ident * $n:literal, $kind:ident, [$($child:ident),+], $packed:ident;)*) => {$(
        impl WithSchema for $ty {
            fn schema(version: u32, context: &mut WithSchemaContext) -> Schema {
                Schema::Array(SchemaArray {
                    item_type: Box::new(<$scalar>::schema(version, context)),
                    count: $n,
                })
            }
        }

        impl Serialize for $ty {
            #[inline]
            fn serialize(&self, serializer: &mut Serializer<impl Write>) -> Result<(), SavefileError> {
                glam_types!(@to $kind self).serialize(serializer)
            }

            const __SAVEFILE_BITS_SIZE: Option<usize> =
                bits_sum(&[<$scalar>::__SAVEFILE_BITS_SIZE; $n]);

            #[inline(always)]
            fn __savefile_bits(&self) -> u64 {
                gathered_bits(&glam_types!(@to $kind self))
            }
        }

        crate::borrowed::borrowed_as_owned!(impl[] $ty);

        impl Deserialize for $ty {
            const __SAVEFILE_FLAT: bool = true;
            const __SAVEFILE_FIXED_SIZE: Option<usize> =
                Some($n * std::mem::size_of::<$scalar>());

            #[inline]
            fn deserialize(deserializer: &mut Deserializer<impl Read>) -> Result<Self, SavefileError> {
                let parts = <[$scalar; $n]>::deserialize(deserializer)?;
                Ok(glam_types!(@from $kind $ty, parts))
            }

            #[inline]
            fn __savefile_read_fixed(bytes: &[u8], version: u32) -> Result<Self, SavefileError> {
                let parts = read_fixed_array::<$scalar, $n>(bytes, version)?;
                Ok(glam_types!(@from $kind $ty, parts))
            }
        }

        glam_types!(@packed $packed $ty, $scalar, $n, $kind);

        impl Introspect for $ty {
            fn introspect_value(&self) -> String {
                stringify!($ty).to_string()
            }
            fn introspect_child<'a>(&'a self, index: usize) -> Option<Box<dyn IntrospectItem<'a> + 'a>> {
                let keys = [$(stringify!($child)),+];
                let children: [&'a dyn Introspect; [$(stringify!($child)),+].len()] =
                    [$(&self.$child),+];
                Some(introspect_item(keys.get(index)?.to_string(), *children.get(index)?))
            }
            fn introspect_len(&self) -> usize {
                [$(stringify!($child)),+].len()
            }
        }
    )*};

    (@to array $value:ident) => { $value.to_array() };
    (@to cols $value:ident) => { $value.to_cols_array() };
    (@from array $ty:ident, $parts:ident) => { $ty::from_array($parts) };
    (@from cols $ty:ident, $parts:ident) => { $ty::from_cols_array(&$parts) };

    (@packed padded $ty:ident, $scalar:ident, $n:literal, $kind:ident) => {
        /// Never packed: glam pads it to a multiple of 16 bytes, and the padding is
        /// not saved.
        impl Packed for $ty {}
    };
    (@packed packed $ty:ident, $scalar:ident, $n:literal, $kind:ident) => {
        #[allow(unsafe_code)] // The promise that the layout checked here allows copying.
        impl Packed for $ty {
            #[inline]
            unsafe fn repr_c_optimization_safe(version: u32) -> IsPacked {
                let saved: [$scalar; $n] = std::array::from_fn(|i| (i + 1) as $scalar);
                let sample = glam_types!(@from $kind $ty, saved);
                if is_its_array(&sample, &saved) {
                    // SAFETY: the value is exactly as large as `[scalar; N]`, and glam's
                    // `AsRef` shows such an array starting at its first byte, so that
                    // array is all of its bytes: there is no padding, and its bytes are
                    // N scalars, in the order `serialize` writes them (checked on the
                    // sample, whose components differ; glam makes the view and the saved
                    // array from the same storage for every value). Every bit pattern of
                    // the N scalars is a valid value: glam's fields are these scalars or
                    // SIMD registers of them, with no invariant of their own. So
                    // `[scalar; N]`'s promise for this version holds for the type.
                    unsafe { <[$scalar; $n]>::repr_c_optimization_safe(version) }
                } else {
                    IsPacked::no()
                }
            }
        }
    };
}

glam_types! {
    Vec2: f32 * 2, array, [x, y], packed;
    Vec3: f32 * 3, array, [x, y, z], packed;
    Vec3A: f32 * 3, array, [x, y, z], padded;
    Vec4: f32 * 4, array, [x, y, z, w], packed;
    Quat: f32 * 4, array, [x, y, z, w], packed;
    Mat2: f32 * 4, cols, [x_axis, y_axis], packed;
    Mat3: f32 * 9, cols, [x_axis, y_axis, z_axis], packed;
    Mat3A: f32 * 9, cols, [x_axis, y_axis, z_axis], padded;
    Mat4: f32 * 16, cols, [x_axis, y_axis, z_axis, w_axis], packed;
    DVec2: f64 * 2, array, [x, y], packed;
    DVec3: f64 * 3, array, [x, y, z], packed;
    DVec4: f64 * 4, array, [x, y, z, w], packed;
    DQuat: f64 * 4, array, [x, y, z, w], packed;
    DMat2: f64 * 4, cols, [x_axis, y_axis], packed;
    DMat3: f64 * 9, cols, [x_axis, y_axis, z_axis], packed;
    DMat4: f64 * 16, cols, [x_axis, y_axis, z_axis, w_axis], packed;
    IVec2: i32 * 2, array, [x, y], packed;
    IVec3: i32 * 3, array, [x, y, z], packed;
    IVec4: i32 * 4, array, [x, y, z, w], packed;
    UVec2: u32 * 2, array, [x, y], packed;
    UVec3: u32 * 3, array, [x, y, z], packed;
    UVec4: u32 * 4, array, [x, y, z, w], packed;
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use super::*;
    use crate::impls::test_support::assert_roundtrip;
    use crate::packed::{bulk_copy, is_packed, BulkCopy};
    use crate::SchemaPrimitive;

    /// The little-endian bytes of 1.0, 2.0, … `count` as f32.
    fn counting_f32(count: usize) -> Vec<u8> {
        (1..=count).flat_map(|i| (i as f32).to_le_bytes()).collect()
    }

    fn bare_file<T: WithSchema + Serialize + ?Sized>(value: &T) -> Vec<u8> {
        let mut out = Vec::new();
        crate::save_noschema(&mut out, 0, value).unwrap();
        out
    }

    /// `value` is saved exactly as `components` is, with the same schema, and files
    /// of either load as the other.
    fn saved_as<V, A>(value: V, components: A)
    where
        V: WithSchema + Serialize + Deserialize + PartialEq + Debug,
        A: WithSchema + Serialize + Deserialize + PartialEq + Debug,
    {
        assert_eq!(assert_roundtrip(&value), bare_file(&components)[16..]);
        assert_eq!(crate::get_schema::<V>(0), crate::get_schema::<A>(0));
        let file = crate::save_to_mem(0, &components).unwrap();
        assert_eq!(crate::load_from_mem::<V>(&file, 0).unwrap(), value);
        let file = crate::save_to_mem(0, &value).unwrap();
        assert_eq!(crate::load_from_mem::<A>(&file, 0).unwrap(), components);
    }

    #[test]
    fn f32_types_are_their_components_in_order() {
        assert_eq!(assert_roundtrip(&Vec2::new(1.0, 2.0)), counting_f32(2));
        assert_eq!(assert_roundtrip(&Vec3::new(1.0, 2.0, 3.0)), counting_f32(3));
        // No padding lane on disk.
        assert_eq!(
            assert_roundtrip(&Vec3A::new(1.0, 2.0, 3.0)),
            counting_f32(3)
        );
        assert_eq!(
            assert_roundtrip(&Vec4::new(1.0, 2.0, 3.0, 4.0)),
            counting_f32(4)
        );
        // glam's order: w last.
        assert_eq!(
            assert_roundtrip(&Quat::from_xyzw(1.0, 2.0, 3.0, 4.0)),
            counting_f32(4)
        );
        // Column-major: the first column, then the second …
        let mat2 = Mat2::from_cols(Vec2::new(1.0, 2.0), Vec2::new(3.0, 4.0));
        assert_eq!(assert_roundtrip(&mat2), counting_f32(4));
        let mat3 = Mat3::from_cols(
            Vec3::new(1.0, 2.0, 3.0),
            Vec3::new(4.0, 5.0, 6.0),
            Vec3::new(7.0, 8.0, 9.0),
        );
        assert_eq!(assert_roundtrip(&mat3), counting_f32(9));
        assert_eq!(assert_roundtrip(&Mat3A::from(mat3)), counting_f32(9));
        let mat4 = Mat4::from_cols(
            Vec4::new(1.0, 2.0, 3.0, 4.0),
            Vec4::new(5.0, 6.0, 7.0, 8.0),
            Vec4::new(9.0, 10.0, 11.0, 12.0),
            Vec4::new(13.0, 14.0, 15.0, 16.0),
        );
        assert_eq!(assert_roundtrip(&mat4), counting_f32(16));
        assert_eq!(mat4.col(1), Vec4::new(5.0, 6.0, 7.0, 8.0));
    }

    #[test]
    fn every_type_is_saved_as_the_array_of_its_scalar() {
        let f = |i: usize| i as f32 * 1.5 - 7.0;
        let d = |i: usize| i as f64 * -0.25 + 1e10;
        saved_as(Vec2::new(f(1), f(2)), [f(1), f(2)]);
        saved_as(Vec3::new(f(1), f(2), f(3)), [f(1), f(2), f(3)]);
        saved_as(Vec3A::new(f(1), f(2), f(3)), [f(1), f(2), f(3)]);
        saved_as(
            Vec4::from_array([f(1), f(2), f(3), f(4)]),
            [f(1), f(2), f(3), f(4)],
        );
        saved_as(
            Quat::from_array([f(1), f(2), f(3), f(4)]),
            [f(1), f(2), f(3), f(4)],
        );
        let f4: [f32; 4] = std::array::from_fn(f);
        let f9: [f32; 9] = std::array::from_fn(f);
        let f16: [f32; 16] = std::array::from_fn(f);
        saved_as(Mat2::from_cols_array(&f4), f4);
        saved_as(Mat3::from_cols_array(&f9), f9);
        saved_as(Mat3A::from_cols_array(&f9), f9);
        saved_as(Mat4::from_cols_array(&f16), f16);
        saved_as(DVec2::new(d(1), d(2)), [d(1), d(2)]);
        saved_as(DVec3::new(d(1), d(2), d(3)), [d(1), d(2), d(3)]);
        saved_as(DVec4::new(d(1), d(2), d(3), d(4)), [d(1), d(2), d(3), d(4)]);
        saved_as(
            DQuat::from_xyzw(d(1), d(2), d(3), d(4)),
            [d(1), d(2), d(3), d(4)],
        );
        let d4: [f64; 4] = std::array::from_fn(d);
        let d9: [f64; 9] = std::array::from_fn(d);
        let d16: [f64; 16] = std::array::from_fn(d);
        saved_as(DMat2::from_cols_array(&d4), d4);
        saved_as(DMat3::from_cols_array(&d9), d9);
        saved_as(DMat4::from_cols_array(&d16), d16);
        saved_as(IVec2::new(-1, 2), [-1, 2]);
        saved_as(IVec3::new(-1, 2, i32::MIN), [-1, 2, i32::MIN]);
        saved_as(IVec4::new(-1, 2, 3, i32::MAX), [-1, 2, 3, i32::MAX]);
        saved_as(UVec2::new(1, u32::MAX), [1, u32::MAX]);
        saved_as(UVec3::new(1, 2, 3), [1u32, 2, 3]);
        saved_as(UVec4::new(1, 2, 3, 4), [1u32, 2, 3, 4]);
        // Vec3 and Vec3A files are the same.
        let file = crate::save_to_mem(0, &Vec3A::new(1.0, 2.0, 3.0)).unwrap();
        assert_eq!(
            crate::load_from_mem::<Vec3>(&file, 0).unwrap(),
            Vec3::new(1.0, 2.0, 3.0)
        );
        // Another scalar or count does not load.
        let file = crate::save_to_mem(0, &Vec3::ONE).unwrap();
        assert!(matches!(
            crate::load_from_mem::<DVec3>(&file, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
        assert!(matches!(
            crate::load_from_mem::<Vec4>(&file, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
        assert!(matches!(
            crate::load_from_mem::<IVec3>(&file, 0),
            Err(SavefileError::IncompatibleSchema { .. })
        ));
    }

    #[test]
    fn schemas_are_arrays_of_the_scalar() {
        let array = |primitive, count| {
            Schema::Array(SchemaArray {
                item_type: Box::new(Schema::Primitive(primitive)),
                count,
            })
        };
        assert_eq!(
            crate::get_schema::<Vec3>(0),
            array(SchemaPrimitive::schema_f32, 3)
        );
        assert_eq!(
            crate::get_schema::<Vec3A>(0),
            array(SchemaPrimitive::schema_f32, 3)
        );
        assert_eq!(
            crate::get_schema::<Quat>(0),
            array(SchemaPrimitive::schema_f32, 4)
        );
        assert_eq!(
            crate::get_schema::<Mat4>(0),
            array(SchemaPrimitive::schema_f32, 16)
        );
        assert_eq!(
            crate::get_schema::<DMat3>(0),
            array(SchemaPrimitive::schema_f64, 9)
        );
        assert_eq!(
            crate::get_schema::<IVec2>(0),
            array(SchemaPrimitive::schema_i32, 2)
        );
        assert_eq!(
            crate::get_schema::<UVec4>(0),
            array(SchemaPrimitive::schema_u32, 4)
        );
    }

    #[test]
    fn inside_tuples_the_fixed_size_reads_and_gathered_writes_agree() {
        // Two f32 are 8 bytes, gathered into one write; a tuple reads its fixed-size
        // parts from one block.
        assert_eq!(Vec2::__SAVEFILE_BITS_SIZE, Some(8));
        assert_eq!(UVec2::__SAVEFILE_BITS_SIZE, Some(8));
        assert_eq!(Vec3::__SAVEFILE_BITS_SIZE, None);
        assert_eq!(Vec3A::__SAVEFILE_FIXED_SIZE, Some(12));
        assert_eq!(Mat3A::__SAVEFILE_FIXED_SIZE, Some(36));
        assert_eq!(DMat4::__SAVEFILE_FIXED_SIZE, Some(128));
        let value = (
            7u8,
            Vec2::new(1.0, 2.0),
            IVec2::new(-1, 3),
            Vec3A::new(1.0, 2.0, 3.0),
            Mat2::from_cols_array(&[1.0, 2.0, 3.0, 4.0]),
        );
        let mut expected = vec![7];
        expected.extend_from_slice(&counting_f32(2));
        expected.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 3, 0, 0, 0]);
        expected.extend_from_slice(&counting_f32(3));
        expected.extend_from_slice(&counting_f32(4));
        assert_eq!(assert_roundtrip(&value), expected);
    }

    #[test]
    fn all_but_the_padded_types_are_packed() {
        let little = cfg!(target_endian = "little");
        assert_eq!(is_packed::<Vec2>(0), little);
        assert_eq!(is_packed::<Vec3>(0), little);
        assert_eq!(is_packed::<Vec4>(0), little);
        assert_eq!(is_packed::<Quat>(0), little);
        assert_eq!(is_packed::<Mat2>(0), little);
        assert_eq!(is_packed::<Mat3>(0), little);
        assert_eq!(is_packed::<Mat4>(0), little);
        assert_eq!(is_packed::<DVec2>(0), little);
        assert_eq!(is_packed::<DVec3>(0), little);
        assert_eq!(is_packed::<DVec4>(0), little);
        assert_eq!(is_packed::<DQuat>(0), little);
        assert_eq!(is_packed::<DMat2>(0), little);
        assert_eq!(is_packed::<DMat3>(0), little);
        assert_eq!(is_packed::<DMat4>(0), little);
        assert_eq!(is_packed::<IVec2>(0), little);
        assert_eq!(is_packed::<IVec3>(0), little);
        assert_eq!(is_packed::<IVec4>(0), little);
        assert_eq!(is_packed::<UVec2>(0), little);
        assert_eq!(is_packed::<UVec3>(0), little);
        assert_eq!(is_packed::<UVec4>(0), little);
        // Padded in memory, so their memory is not their saved bytes.
        assert_eq!(std::mem::size_of::<Vec3A>(), 16);
        assert_eq!(std::mem::size_of::<Mat3A>(), 48);
        assert!(!is_packed::<Vec3A>(0));
        assert!(!is_packed::<Mat3A>(0));
        // The layout check itself refuses a padded type and a reordered view.
        let sample = Vec3A::new(1.0, 2.0, 3.0);
        assert!(!is_its_array(&sample, &[1.0, 2.0, 3.0]));
        let sample = Vec4::new(1.0, 2.0, 3.0, 4.0);
        assert!(is_its_array(&sample, &[1.0, 2.0, 3.0, 4.0]));
        assert!(!is_its_array(&sample, &[4.0, 3.0, 2.0, 1.0]));
    }

    /// A vector of 20 000 `V` made by `make` is copied in bulk: its bytes are each
    /// element's own, and it loads back from memory and from a stream; cut short, it
    /// does not load.
    fn copied_in_bulk<V>(make: impl Fn(usize) -> V)
    where
        V: WithSchema + Serialize + Deserialize + Packed + PartialEq + Debug,
    {
        assert_eq!(bulk_copy::<V>(0), BulkCopy::Plain);
        let items: Vec<V> = (0..20_000).map(make).collect();
        let file = bare_file(&items);
        let one_by_one: Vec<u8> = items
            .iter()
            .flat_map(|v| bare_file(v).split_off(16))
            .collect();
        assert_eq!(&file[16..24], &20_000u64.to_le_bytes());
        assert_eq!(&file[24..], &one_by_one[..]);
        let from_memory: Vec<V> = crate::load_from_mem_noschema(&file, 0).unwrap();
        assert!(from_memory == items);
        let from_stream: Vec<V> = crate::load_noschema(&mut &file[..], 0).unwrap();
        assert!(from_stream == items);
        for cut in [23, 25, file.len() / 2, file.len() - 1] {
            assert!(crate::load_from_mem_noschema::<Vec<V>>(&file[..cut], 0).is_err());
            assert!(crate::load_noschema::<Vec<V>>(&mut &file[..cut], 0).is_err());
        }
    }

    #[test]
    fn vectors_of_packed_types_are_copied_in_bulk() {
        let f = |i: usize| i as f32;
        copied_in_bulk(|i| Vec3::new(f(i), -f(i), 0.5 * f(i)));
        copied_in_bulk(|i| Vec4::new(f(i), f(i) + 1.0, f(i) + 2.0, f(i) + 3.0));
        copied_in_bulk(|i| Quat::from_xyzw(f(i), 1.0, 2.0, -f(i)));
        copied_in_bulk(|i| Mat2::from_cols_array(&[f(i), 1.0, 2.0, 3.0]));
        copied_in_bulk(|i| Mat4::from_cols_array(&std::array::from_fn(|j| f(i * 16 + j))));
        copied_in_bulk(|i| DVec3::new(i as f64, 0.0, -(i as f64)));
        copied_in_bulk(|i| IVec2::new(i as i32, -(i as i32)));
        copied_in_bulk(|i| UVec3::new(i as u32, 7, u32::MAX - i as u32));
    }

    #[test]
    fn vectors_of_padded_types_save_no_padding() {
        assert_eq!(bulk_copy::<Vec3A>(0), BulkCopy::No);
        let items: Vec<Vec3A> = (0..1000).map(|i| Vec3A::new(i as f32, 1.0, 2.0)).collect();
        let file = bare_file(&items);
        assert_eq!(file.len(), 24 + 1000 * 12);
        assert_eq!(
            crate::load_from_mem_noschema::<Vec<Vec3>>(&file, 0).unwrap()[999],
            Vec3::new(999.0, 1.0, 2.0)
        );
        assert_eq!(
            crate::load_from_mem_noschema::<Vec<Vec3A>>(&file, 0).unwrap(),
            items
        );
        assert!(crate::load_noschema::<Vec<Vec3A>>(&mut &file[..file.len() - 1], 0).is_err());
        let matrices = vec![Mat3A::IDENTITY; 10];
        let file = bare_file(&matrices);
        assert_eq!(file.len(), 24 + 10 * 36);
        assert_eq!(
            crate::load_noschema::<Vec<Mat3>>(&mut &file[..], 0).unwrap(),
            vec![Mat3::IDENTITY; 10]
        );
    }

    /// The keys and values of `value`'s children.
    fn children(value: &dyn Introspect) -> Vec<(String, String)> {
        (0..value.introspect_len())
            .map(|i| {
                let child = value.introspect_child(i).unwrap();
                (child.key().to_string(), child.val().introspect_value())
            })
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn introspection_names_components_and_columns() {
        let vector = Vec4::new(1.0, 2.0, 3.0, 4.0);
        assert_eq!(vector.introspect_value(), "Vec4");
        assert_eq!(
            children(&vector),
            pairs(&[("x", "1"), ("y", "2"), ("z", "3"), ("w", "4")])
        );
        assert!(vector.introspect_child(4).is_none());
        assert_eq!(
            children(&UVec2::new(5, 6)),
            pairs(&[("x", "5"), ("y", "6")])
        );
        let quat = DQuat::from_xyzw(0.5, 0.25, 0.0, 1.0);
        assert_eq!(quat.introspect_value(), "DQuat");
        assert_eq!(
            children(&quat),
            pairs(&[("x", "0.5"), ("y", "0.25"), ("z", "0"), ("w", "1")])
        );
        let matrix = Mat2::from_cols_array(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(matrix.introspect_value(), "Mat2");
        assert_eq!(
            children(&matrix),
            pairs(&[("x_axis", "Vec2"), ("y_axis", "Vec2")])
        );
        let column = matrix.introspect_child(1).unwrap();
        assert_eq!(children(column.val()), pairs(&[("x", "3"), ("y", "4")]));
        assert!(matrix.introspect_child(2).is_none());
        assert_eq!(Mat4::IDENTITY.introspect_len(), 4);
        assert_eq!(
            Mat3A::IDENTITY
                .introspect_child(2)
                .unwrap()
                .val()
                .introspect_value(),
            "Vec3A"
        );
    }
}
