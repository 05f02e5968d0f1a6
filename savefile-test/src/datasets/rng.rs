//! A small deterministic random number generator and the distributions the datasets use.
//!
//! The generator is PCG32 (a 64-bit linear congruential state, output by the XSH-RR
//! permutation), the same family the community benchmark seeds. The distributions are our own
//! simple ones: they give the documented ranges and probabilities, not that benchmark's exact
//! draws.

use std::ops::Range;

/// The LCG multiplier of PCG32.
const MULTIPLIER: u64 = 6_364_136_223_846_793_005;

/// PCG32: 64 bits of state, 32 bits of output per step.
pub(crate) struct Rng {
    state: u64,
    /// Selects one of 2^63 independent sequences; always odd, for the LCG's full period.
    increment: u64,
}

impl Rng {
    /// A generator for `(seed, stream)`, seeded the way the PCG reference implementation does.
    pub(crate) fn new((seed, stream): (u64, u64)) -> Rng {
        let mut rng = Rng {
            state: 0,
            increment: (stream << 1) | 1,
        };
        rng.step();
        rng.state = rng.state.wrapping_add(seed);
        rng.step();
        rng
    }

    fn step(&mut self) {
        self.state = self
            .state
            .wrapping_mul(MULTIPLIER)
            .wrapping_add(self.increment);
    }

    /// The next 32 random bits.
    pub(crate) fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.step();
        // XSH-RR: fold the high bits down with a xorshift, then rotate by the top 5 bits.
        let folded = (((old >> 18) ^ old) >> 27) as u32;
        folded.rotate_right((old >> 59) as u32)
    }

    /// The next 64 random bits (two outputs, the first one low).
    pub(crate) fn next_u64(&mut self) -> u64 {
        let low = self.next_u32() as u64;
        let high = self.next_u32() as u64;
        (high << 32) | low
    }

    /// A value of a type with a natural uniform distribution (see [`Draw`]).
    pub(crate) fn draw<T: Draw>(&mut self) -> T {
        T::draw(self)
    }

    /// A uniform integer in `0..n`.
    fn below(&mut self, n: u32) -> u32 {
        assert!(n > 0, "an empty range has no value to draw");
        // Multiply-and-shift maps 32 random bits onto 0..n; the first 2^32 mod n products
        // would make some results more likely than others, so those are drawn again.
        let threshold = n.wrapping_neg() % n;
        loop {
            let product = self.next_u32() as u64 * n as u64;
            if product as u32 >= threshold {
                return (product >> 32) as u32;
            }
        }
    }

    /// A uniform integer in `range` (end excluded). Callers cast to the field's type: every
    /// range of the datasets fits in an `i32`.
    pub(crate) fn range(&mut self, range: Range<i32>) -> i32 {
        assert!(
            range.start < range.end,
            "an empty range has no value to draw"
        );
        let span = range.end.abs_diff(range.start);
        range.start.wrapping_add_unsigned(self.below(span))
    }

    /// A uniform float in `range` (end excluded).
    pub(crate) fn range_f32(&mut self, range: Range<f32>) -> f32 {
        range.start + (range.end - range.start) * self.draw::<f32>()
    }

    /// A uniform float in `range` (end excluded).
    pub(crate) fn range_f64(&mut self, range: Range<f64>) -> f64 {
        range.start + (range.end - range.start) * self.draw::<f64>()
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.draw::<f64>() < p
    }

    /// One of `items`, each equally likely.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u32) as usize]
    }

    /// An index into `weights`, each as likely as its weight.
    pub(crate) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut point = self.draw::<f64>() * total;
        for (index, weight) in weights.iter().enumerate() {
            if point < *weight {
                return index;
            }
            point -= weight;
        }
        // Rounding can leave the point a hair past the last weight.
        weights.len() - 1
    }

    /// `Some` of a value from `value` with probability one half.
    pub(crate) fn option<T>(&mut self, value: impl FnOnce(&mut Rng) -> T) -> Option<T> {
        if self.chance(0.5) {
            Some(value(self))
        } else {
            None
        }
    }

    /// A vector whose length is drawn from `len` first, then its elements in order.
    pub(crate) fn vec<T>(
        &mut self,
        len: Range<i32>,
        mut element: impl FnMut(&mut Rng) -> T,
    ) -> Vec<T> {
        let len = self.range(len) as usize;
        let mut out = Vec::with_capacity(len);
        for _ in 0..len {
            out.push(element(self));
        }
        out
    }
}

/// Types with a natural "any value" distribution: every bit pattern of an integer, a fair
/// coin for `bool`, `[0, 1)` for floats; arrays and tuples draw their elements in order.
pub(crate) trait Draw {
    /// One value.
    fn draw(rng: &mut Rng) -> Self;
}

macro_rules! draw_from_bits {
    ($($t:ty => $source:ident),* $(,)?) => {
        $(impl Draw for $t {
            fn draw(rng: &mut Rng) -> Self {
                // Truncation keeps the low bits, which are as random as the others.
                rng.$source() as $t
            }
        })*
    };
}

draw_from_bits!(
    u8 => next_u32, i8 => next_u32, u16 => next_u32, i16 => next_u32,
    u32 => next_u32, i32 => next_u32, u64 => next_u64, i64 => next_u64,
);

impl Draw for bool {
    fn draw(rng: &mut Rng) -> Self {
        rng.chance(0.5)
    }
}

impl Draw for f32 {
    fn draw(rng: &mut Rng) -> Self {
        // 24 random bits fill the mantissa exactly: multiples of 2^-24 in [0, 1).
        (rng.next_u32() >> 8) as f32 / (1u32 << 24) as f32
    }
}

impl Draw for f64 {
    fn draw(rng: &mut Rng) -> Self {
        (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl<T: Draw, const N: usize> Draw for [T; N] {
    fn draw(rng: &mut Rng) -> Self {
        // `from_fn` calls the closure for index 0, 1, … in order.
        std::array::from_fn(|_| T::draw(rng))
    }
}

impl<A: Draw, B: Draw> Draw for (A, B) {
    fn draw(rng: &mut Rng) -> Self {
        (A::draw(rng), B::draw(rng))
    }
}

impl<A: Draw, B: Draw, C: Draw> Draw for (A, B, C) {
    fn draw(rng: &mut Rng) -> Self {
        (A::draw(rng), B::draw(rng), C::draw(rng))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_pcg32_reference_output() {
        // The first outputs of the PCG reference demo, seeded with (42, 54).
        let mut rng = Rng::new((42, 54));
        let first: Vec<u32> = (0..6).map(|_| rng.next_u32()).collect();
        assert_eq!(
            first,
            [0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e]
        );
    }

    #[test]
    fn ranges_stay_inside_and_reach_both_ends() {
        let mut rng = Rng::new((1, 2));
        let mut seen = [false; 7];
        for _ in 0..1000 {
            let v = rng.range(-3..4);
            assert!((-3..4).contains(&v));
            seen[(v + 3) as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
        for _ in 0..1000 {
            let f = rng.range_f64(-750.0..750.0);
            assert!((-750.0..750.0).contains(&f));
            let u = rng.draw::<f32>();
            assert!((0.0..1.0).contains(&u));
        }
        // The widest span an i32 range can have.
        let v = rng.range(i32::MIN..i32::MAX);
        assert!(v < i32::MAX);
    }

    #[test]
    fn chances_and_weights_have_the_asked_frequencies() {
        let mut rng = Rng::new((7, 8));
        let hits = (0..100_000).filter(|_| rng.chance(0.7)).count();
        assert!((69_000..71_000).contains(&hits), "{hits}");
        let mut counts = [0usize; 3];
        for _ in 0..100_000 {
            counts[rng.weighted(&[1.0, 0.0, 3.0])] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((24_000..26_000).contains(&counts[0]), "{counts:?}");
    }

    #[test]
    fn vectors_draw_their_length_from_the_range() {
        let mut rng = Rng::new((9, 10));
        let v = rng.vec(5..6, |rng| rng.draw::<u8>());
        assert_eq!(v.len(), 5);
        for _ in 0..100 {
            let v = rng.vec(0..3, |_| ());
            assert!(v.len() < 3);
        }
    }
}
