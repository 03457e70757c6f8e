//! Byte scans the compiler vectorises, for the tests that run on every line, segment and
//! finding: the bytes are taken 32 at a time and each block is tested without an early exit
//! inside it (`Iterator::any` and `position` stop at each byte, which keeps them scalar); only
//! the block that has one is then searched byte by byte.
//!
//! memchr is the tool for one, two or three given bytes; these are for a class of bytes (ASCII
//! digits, the bytes that can start a control character), which memchr has no search for.

/// The bytes tested at a time: one AVX2 register.
const BLOCK: usize = 32;

/// Whether `block` has a byte `wanted` says, every byte tested.
#[inline(always)]
fn in_block(block: &[u8], wanted: impl Fn(u8) -> bool) -> bool {
    block.iter().fold(false, |found, &b| found | wanted(b))
}

/// Whether `bytes` has a byte `wanted` says.
#[inline(always)]
pub fn any(bytes: &[u8], wanted: impl Fn(u8) -> bool + Copy) -> bool {
    bytes.chunks(BLOCK).any(|block| in_block(block, wanted))
}

/// Where the first byte `wanted` says is.
#[inline(always)]
pub fn position(bytes: &[u8], wanted: impl Fn(u8) -> bool + Copy) -> Option<usize> {
    let block = bytes.chunks(BLOCK).position(|b| in_block(b, wanted))?;
    let start = block * BLOCK;
    bytes[start..]
        .iter()
        .position(|&b| wanted(b))
        .map(|i| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every length around the block size, with the byte looked for in every block and at
    /// either end of one, finds what a plain search finds.
    #[test]
    fn the_scans_find_what_a_byte_by_byte_search_finds() {
        let digit = |b: u8| b.is_ascii_digit();
        for len in [0usize, 1, 31, 32, 33, 63, 64, 65, 100] {
            let mut places: Vec<Vec<usize>> = vec![vec![]];
            for at in [0, 1, 30, 31, 32, 33, 63, 64, len.saturating_sub(1)] {
                if at < len {
                    places.push(vec![at]);
                    places.push(vec![at, len - 1]);
                }
            }
            for digits in places {
                let bytes: Vec<u8> = (0..len)
                    .map(|i| match digits.contains(&i) {
                        true => b'7',
                        false => b'a' + (i % 26) as u8,
                    })
                    .collect();
                let expected = (
                    bytes.iter().any(u8::is_ascii_digit),
                    bytes.iter().position(u8::is_ascii_digit),
                );
                let found = (any(&bytes, digit), position(&bytes, digit));
                assert_eq!(found, expected, "{len} bytes, digits at {digits:?}");
            }
        }
        // Digits of other scripts are not ASCII digits.
        assert!(!any("٣ ৩ /:".as_bytes(), digit));
    }
}
