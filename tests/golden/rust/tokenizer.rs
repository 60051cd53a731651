/*!
 * A small tokenizer: lifetimes, generics, visibility forms, nested items and FFI.
 */

use std::borrow::Cow;
use std::iter::Peekable;
use std::str::CharIndices;

/** Kinds of tokens.

 Discriminants are stable across releases. */
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenKind {
    Ident = 1,
    Number = 2,
    Punct = 3,
}

/// A token borrowed from the input.
#[derive(Debug)]
pub struct Token<'src> {
    pub kind: TokenKind,
    pub(crate) text: Cow<'src, str>,
    pub(super) offset: usize,
    pub(in crate::lexer) line: u32,
    pub(self) hidden: bool,
}

/// Marker tuple struct.
pub struct Span(pub usize, pub usize);

pub trait Source<'src> {
    type Iter: Iterator<Item = (usize, char)>;

    fn chars(&'src self) -> Self::Iter;
}

pub struct Tokenizer<'src, S: ?Sized = str>
where
    S: AsRef<str>,
{
    input: &'src S,
    chars: Peekable<CharIndices<'src>>,
}

impl<'src> Tokenizer<'src> {
    /// Starts tokenizing `input`.
    pub const fn len_hint(input: &str) -> usize {
        input.len() / 4
    }

    pub fn new(input: &'src str) -> Self {
        Tokenizer { input, chars: input.char_indices().peekable() }
    }

    fn take_while<F>(&mut self, start: usize, mut pred: F) -> &'src str
    where
        F: FnMut(char) -> bool,
    {
        let mut end = start;
        while let Some(&(i, c)) = self.chars.peek() {
            if !pred(c) {
                break;
            }
            end = i + c.len_utf8();
            self.chars.next();
        }
        &self.input[start..end]
    }

    pub async fn drain(self: Box<Self>) -> Vec<Token<'src>> {
        self.collect()
    }
}

impl<'src> Iterator for Tokenizer<'src> {
    type Item = Token<'src>;

    fn next(&mut self) -> Option<Self::Item> {
        fn classify(c: char) -> TokenKind {
            const DIGITS: &str = "0123456789";
            if DIGITS.contains(c) {
                TokenKind::Number
            } else if c.is_alphabetic() {
                TokenKind::Ident
            } else {
                TokenKind::Punct
            }
        }
        let (start, c) = self.chars.next()?;
        let kind = classify(c);
        let text = match kind {
            TokenKind::Punct => &self.input[start..start + c.len_utf8()],
            _ => self.take_while(start, move |ch| classify(ch) == kind),
        };
        Some(Token { kind, text: Cow::Borrowed(text), offset: start, line: 0, hidden: false })
    }
}

impl<'src> From<&'src str> for Tokenizer<'src> {
    fn from(input: &'src str) -> Self {
        Self::new(input)
    }
}

impl<'src> From<&'src String> for Tokenizer<'src> {
    fn from(input: &'src String) -> Self {
        Tokenizer::new(input.as_str())
    }
}

extern "C" {
    fn strlen(s: *const u8) -> usize;
    fn printf(fmt: *const u8, ...) -> i32;
}

pub(crate) unsafe fn c_len(ptr: *const u8) -> usize {
    strlen(ptr)
}
