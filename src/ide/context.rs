//! Where the cursor is, read from the text before it: a file being typed
//! rarely parses, so completion reads the brackets, keys and `=` signs
//! before the cursor with a small scanner that knows strings, heredocs and
//! comments, instead of the syntax tree.

/// A token of the text before the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    Word(String),
    Str(String),
    Equals,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bracket {
    /// `kind [labels] {` or a pool's or template's `{`.
    Body,
    /// `key = {` or `{` in a list.
    Object,
    List,
    Call,
}

/// An open bracket, with what was written before it and the tokens of the
/// entry being written inside it.
#[derive(Clone, Debug)]
pub struct Frame {
    pub bracket: Bracket,
    /// The tokens of the entry that opened the bracket.
    pub opener: Vec<Token>,
    /// The tokens of the current entry since the last separator.
    pub entry: Vec<Token>,
}

#[derive(Clone, Debug)]
pub struct Context {
    /// Open brackets, outermost first.
    pub frames: Vec<Frame>,
    /// The entry being written at the top level (outside any bracket).
    pub top: Vec<Token>,
    /// The word being typed at the cursor (possibly empty).
    pub partial: String,
    /// The cursor is in a string, heredoc or comment.
    pub in_text: bool,
}

impl Context {
    /// The tokens of the entry being written, at whatever level.
    pub fn entry(&self) -> &[Token] {
        self.frames.last().map_or(&self.top, |f| &f.entry)
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | 'µ' | '+')
}

/// The context of the cursor at `offset` of `text`.
pub fn at(text: &str, offset: usize) -> Context {
    let before = text.get(..offset).unwrap_or(text);
    let mut scan = Scan {
        frames: Vec::new(),
        top: Vec::new(),
    };
    let mut chars = before.char_indices().peekable();
    let mut in_text = false;
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => in_text = skip_line(&mut chars),
            '/' if before[i..].starts_with("//") => in_text = skip_line(&mut chars),
            '"' => match string(&before[i + 1..]) {
                Some(len) => {
                    let value = before[i + 1..i + 1 + len].to_string();
                    scan.push(Token::Str(value));
                    skip(&mut chars, len + 1);
                }
                None => {
                    in_text = true;
                    break;
                }
            },
            '<' if before[i..].starts_with("<<") => match heredoc(&before[i..]) {
                Some(len) => {
                    scan.push(Token::Str(String::new()));
                    skip(&mut chars, len - 1);
                }
                None => {
                    in_text = true;
                    break;
                }
            },
            '{' => scan.open(Bracket::Body),
            '[' => scan.open(Bracket::List),
            '(' => scan.open(Bracket::Call),
            '}' | ']' | ')' => {
                scan.frames.pop();
            }
            ',' => scan.separate(),
            // A newline ends an entry, except between a list's items.
            '\n' if scan
                .frames
                .last()
                .is_none_or(|f| f.bracket != Bracket::List) =>
            {
                scan.separate()
            }
            '=' => scan.push(Token::Equals),
            c if is_word(c) => {
                let mut word = String::from(c);
                while let Some(&(_, next)) = chars.peek() {
                    if !is_word(next) {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                scan.push(Token::Word(word));
            }
            _ => {}
        }
    }
    let mut context = Context {
        frames: scan.frames,
        top: scan.top,
        partial: String::new(),
        in_text,
    };
    let typing = before.chars().next_back().is_some_and(is_word);
    let entry = match context.frames.last_mut() {
        Some(frame) => &mut frame.entry,
        None => &mut context.top,
    };
    if typing
        && !in_text
        && let Some(Token::Word(word)) = entry.last().cloned()
    {
        entry.pop();
        context.partial = word;
    }
    context
}

struct Scan {
    frames: Vec<Frame>,
    top: Vec<Token>,
}

impl Scan {
    fn entry(&mut self) -> &mut Vec<Token> {
        match self.frames.last_mut() {
            Some(frame) => &mut frame.entry,
            None => &mut self.top,
        }
    }

    fn push(&mut self, token: Token) {
        self.entry().push(token);
    }

    fn separate(&mut self) {
        self.entry().clear();
    }

    fn open(&mut self, bracket: Bracket) {
        let opener = std::mem::take(self.entry());
        let bracket = match bracket {
            Bracket::Body if opener.is_empty() || opener.last() == Some(&Token::Equals) => {
                Bracket::Object
            }
            other => other,
        };
        self.frames.push(Frame {
            bracket,
            opener,
            entry: Vec::new(),
        });
    }
}

fn skip_line(chars: &mut std::iter::Peekable<std::str::CharIndices>) -> bool {
    for (_, c) in chars.by_ref() {
        if c == '\n' {
            return false;
        }
    }
    true
}

fn skip(chars: &mut std::iter::Peekable<std::str::CharIndices>, bytes: usize) {
    let Some(&(start, _)) = chars.peek() else {
        return;
    };
    while chars.peek().is_some_and(|&(i, _)| i < start + bytes) {
        chars.next();
    }
}

/// The length of a string's text up to its closing quote, `None` when it
/// is not closed on its line.
fn string(rest: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            '\n' => return None,
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

/// The length of a heredoc from its `<<` to the end of its closing tag,
/// `None` when it does not close.
fn heredoc(rest: &str) -> Option<usize> {
    let opening = rest[2..].trim_start_matches('-');
    let tag: String = opening
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if tag.is_empty() {
        return Some(2);
    }
    let first_line = rest.find('\n')?;
    let mut at = first_line + 1;
    for line in rest[at..].split_inclusive('\n') {
        if line.trim() == tag {
            return Some(at + line.trim_end_matches(['\n', '\r']).len());
        }
        at += line.len();
    }
    None
}

/// The names of a file's `let`s and templates, read from its text.
pub fn defined_names(text: &str) -> (Vec<String>, Vec<String>) {
    let mut lets = Vec::new();
    let mut templates = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("let ") {
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| is_word(*c))
                .collect();
            if !name.is_empty() {
                lets.push(name);
            }
        } else if let Some(rest) = line.strip_prefix("template ") {
            let name = rest
                .trim_start()
                .strip_prefix('"')
                .and_then(|r| r.split('"').next());
            templates.extend(name.filter(|n| !n.is_empty()).map(String::from));
        }
    }
    (lets, templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(tokens: &[Token]) -> Vec<String> {
        tokens
            .iter()
            .map(|t| match t {
                Token::Word(w) => w.clone(),
                Token::Str(s) => format!("{s:?}"),
                Token::Equals => "=".into(),
            })
            .collect()
    }

    #[test]
    fn brackets_keys_and_the_word_being_typed() {
        let text = "pool \"a\" {\n  launcher {\n    resources = {\n      requests = { cp";
        let context = at(text, text.len());
        let openers: Vec<Vec<String>> = context.frames.iter().map(|f| words(&f.opener)).collect();
        assert_eq!(
            openers,
            [
                vec!["pool", "\"a\""],
                vec!["launcher"],
                vec!["resources", "="],
                vec!["requests", "="]
            ]
        );
        assert_eq!(context.partial, "cp");
        assert!(context.entry().is_empty());
    }

    #[test]
    fn strings_heredocs_and_comments_are_skipped() {
        let text = "let x = \"{ [\" # {\nlet y = <<EOT\n{\nEOT\npool \"p\" {\n  workload = ";
        let context = at(text, text.len());
        assert_eq!(context.frames.len(), 1);
        assert_eq!(words(context.entry()), ["workload", "="]);
        let inside = "pool \"p\" {\n  name_override = \"ab";
        assert!(at(inside, inside.len()).in_text);
    }

    #[test]
    fn names_are_read_from_the_text() {
        let (lets, templates) = defined_names("let a = 1\ntemplate \"base\" {\n}\nlet b-c = 2\n");
        assert_eq!(lets, ["a", "b-c"]);
        assert_eq!(templates, ["base"]);
    }
}
