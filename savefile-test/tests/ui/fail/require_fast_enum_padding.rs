use savefile_derive::Savefile;

// The unit variant is one byte; the other is two: the enum has padding after it.
#[derive(Savefile)]
#[savefile_require_fast]
#[repr(u8)]
enum BadEnum2 {
    Variant1,
    Variant2(u8),
}

// A u16 right after a u8 tag starts at offset 2: a byte of padding before it.
#[derive(Savefile)]
#[savefile_require_fast]
#[repr(u8)]
enum Gap {
    A(u16),
}

fn main() {}
