use savefile_derive::Savefile;

#[derive(Savefile)]
#[savefile_require_fast]
#[repr(u8, C)]
enum BadEnum3 {
    Variant1 { x: u8, y: u16, z: u16, w: u16 },
    Variant2 { x: u8, y: u16, z: u32 },
}

fn main() {}
