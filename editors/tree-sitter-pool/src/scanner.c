// External scanner for the .pool tree-sitter grammar: heredocs.
//
// pest (grammar/pool.pest) reads a heredoc as
//
//   "<<" "-"? PUSH(tag) [ \t]* NEWLINE heredoc_line* [ \t]* POP
//
// where a heredoc_line is any line that is not `[ \t]* TAG [ \t]*` followed
// by a newline or the end of the file. Matching the closing tag against the
// opening one needs memory, hence this scanner. It produces three tokens:
//
//   heredoc_start    `<<TAG` or `<<-TAG`, the rest of the line and its newline
//   heredoc_content  text of the body, across lines, up to (not including) an
//                    interpolation `${`, a literal `$${`, or the closing line
//   heredoc_end      the closing line's `[ \t]* TAG` (not its newline)
//
// `${`, `$${` and everything inside an interpolation are lexed by the grammar.
// Heredocs can nest (a heredoc inside an interpolation inside a heredoc), so
// the open tags are kept on a stack, serialised between tokens.

#include "tree_sitter/alloc.h"
#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum TokenType {
  HEREDOC_START,
  HEREDOC_CONTENT,
  HEREDOC_END,
};

#define MAX_TAG 64
#define MAX_DEPTH 8

typedef struct {
  uint8_t depth;
  uint8_t lengths[MAX_DEPTH];
  char tags[MAX_DEPTH][MAX_TAG];
} Scanner;

static bool is_tag_start(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_tag_char(int32_t c) {
  return is_tag_start(c) || (c >= '0' && c <= '9');
}

static bool is_blank(int32_t c) { return c == ' ' || c == '\t'; }

static bool is_newline(int32_t c) { return c == '\n' || c == '\r'; }

static void advance(TSLexer *lexer) { lexer->advance(lexer, false); }

// Consumes "\n", "\r\n" or "\r".
static void advance_newline(TSLexer *lexer) {
  if (lexer->lookahead == '\r') {
    advance(lexer);
    if (lexer->lookahead == '\n') advance(lexer);
  } else {
    advance(lexer);
  }
}

static bool scan_start(Scanner *s, TSLexer *lexer) {
  while (is_blank(lexer->lookahead)) lexer->advance(lexer, true);
  if (lexer->lookahead != '<') return false;
  advance(lexer);
  if (lexer->lookahead != '<') return false;
  advance(lexer);
  if (lexer->lookahead == '-') advance(lexer);
  if (!is_tag_start(lexer->lookahead)) return false;
  char tag[MAX_TAG];
  uint8_t length = 0;
  while (is_tag_char(lexer->lookahead)) {
    if (length == MAX_TAG) return false;
    tag[length++] = (char)lexer->lookahead;
    advance(lexer);
  }
  while (is_blank(lexer->lookahead)) advance(lexer);
  if (!is_newline(lexer->lookahead)) return false;
  advance_newline(lexer);
  if (s->depth == MAX_DEPTH) return false;
  memcpy(s->tags[s->depth], tag, length);
  s->lengths[s->depth] = length;
  s->depth++;
  lexer->mark_end(lexer);
  lexer->result_symbol = HEREDOC_START;
  return true;
}

// At the start of a line: is it the closing line `[ \t]* TAG [ \t]*` followed
// by a newline or the end of the file? Consumes what it looks at; with `mark`,
// the token ends right after the tag.
static bool scan_end_line(Scanner *s, TSLexer *lexer, bool mark, bool *consumed) {
  const char *tag = s->tags[s->depth - 1];
  uint8_t length = s->lengths[s->depth - 1];
  while (is_blank(lexer->lookahead)) {
    advance(lexer);
    *consumed = true;
  }
  for (uint8_t i = 0; i < length; i++) {
    if (lexer->lookahead != (int32_t)(unsigned char)tag[i]) return false;
    advance(lexer);
    *consumed = true;
  }
  if (mark) lexer->mark_end(lexer);
  while (is_blank(lexer->lookahead)) advance(lexer);
  return is_newline(lexer->lookahead) || lexer->eof(lexer);
}

static bool scan_content(Scanner *s, TSLexer *lexer, bool end_valid) {
  bool has_content = false;
  bool at_line_start = lexer->get_column(lexer) == 0;
  for (;;) {
    if (at_line_start && end_valid) {
      // The text so far ends before this line, in case it closes the heredoc.
      lexer->mark_end(lexer);
      bool consumed = false;
      if (scan_end_line(s, lexer, !has_content, &consumed)) {
        if (has_content) {
          lexer->result_symbol = HEREDOC_CONTENT;
          return true;
        }
        s->depth--;
        lexer->result_symbol = HEREDOC_END;
        return true;
      }
      has_content = has_content || consumed;
    }
    at_line_start = false;
    int32_t c = lexer->lookahead;
    if (lexer->eof(lexer)) {
      lexer->mark_end(lexer);
      lexer->result_symbol = HEREDOC_CONTENT;
      return has_content;
    }
    if (is_newline(c)) {
      advance_newline(lexer);
      has_content = true;
      at_line_start = true;
      continue;
    }
    if (c == '$') {
      // `${` and `$${` belong to the grammar; any other `$` is text.
      lexer->mark_end(lexer);
      advance(lexer);
      if (lexer->lookahead == '{') {
        lexer->result_symbol = HEREDOC_CONTENT;
        return has_content;
      }
      if (lexer->lookahead == '$') {
        advance(lexer);
        if (lexer->lookahead == '{') {
          lexer->result_symbol = HEREDOC_CONTENT;
          return has_content;
        }
      }
      has_content = true;
      continue;
    }
    advance(lexer);
    has_content = true;
  }
}

void *tree_sitter_pool_external_scanner_create(void) {
  static const Scanner empty = {0};
  Scanner *s = (Scanner *)ts_malloc(sizeof(Scanner));
  *s = empty;
  return s;
}

void tree_sitter_pool_external_scanner_destroy(void *payload) { ts_free(payload); }

unsigned tree_sitter_pool_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *s = (Scanner *)payload;
  unsigned size = 0;
  buffer[size++] = (char)s->depth;
  for (uint8_t i = 0; i < s->depth; i++) {
    buffer[size++] = (char)s->lengths[i];
    memcpy(&buffer[size], s->tags[i], s->lengths[i]);
    size += s->lengths[i];
  }
  return size;
}

void tree_sitter_pool_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  Scanner *s = (Scanner *)payload;
  s->depth = 0;
  if (length == 0) return;
  unsigned pos = 0;
  uint8_t depth = (uint8_t)buffer[pos++];
  for (uint8_t i = 0; i < depth && pos < length; i++) {
    uint8_t len = (uint8_t)buffer[pos++];
    if (len > MAX_TAG || pos + len > length) break;
    memcpy(s->tags[i], &buffer[pos], len);
    s->lengths[i] = len;
    pos += len;
    s->depth = i + 1;
  }
}

bool tree_sitter_pool_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  Scanner *s = (Scanner *)payload;
  // During error recovery every symbol is valid: let the grammar recover.
  if (valid_symbols[HEREDOC_START] && valid_symbols[HEREDOC_CONTENT]) return false;
  if ((valid_symbols[HEREDOC_CONTENT] || valid_symbols[HEREDOC_END]) && s->depth > 0) {
    return scan_content(s, lexer, valid_symbols[HEREDOC_END]);
  }
  if (valid_symbols[HEREDOC_START]) return scan_start(s, lexer);
  return false;
}
