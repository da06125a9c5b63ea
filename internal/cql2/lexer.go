package cql2

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind classifies a token of CQL2 text.
type tokenKind int

const (
	tokEOF    tokenKind = iota
	tokIdent            // a bare word: a keyword, a function name or a property
	tokQuoted           // a "double-quoted" property name
	tokString           // a 'single-quoted' character literal, '' unescaped
	tokNumber
	tokOp     // = <> < > <= >=
	tokLParen // (
	tokRParen // )
	tokComma  // ,
	tokOther  // any other character, kept to name it in an error
)

// token is one lexical unit with its byte offset in the input, for errors.
type token struct {
	kind tokenKind
	text string
	pos  int
}

// describe names a token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "the end of the filter"
	case tokString:
		return fmt.Sprintf("the string '%s'", t.text)
	case tokQuoted:
		return fmt.Sprintf("%q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// lex splits s into tokens. It fails only on unterminated quotes: every
// other oddity becomes a token that the parser rejects in context, where the
// message can say what was expected instead.
func lex(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '\'':
			text, n, err := quoted(s, i, '\'')
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tokString, text, i})
			i += n
		case r == '"':
			text, n, err := quoted(s, i, '"')
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tokQuoted, text, i})
			i += n
		case r == '(':
			toks = append(toks, token{tokLParen, "(", i})
			i++
		case r == ')':
			toks = append(toks, token{tokRParen, ")", i})
			i++
		case r == ',':
			toks = append(toks, token{tokComma, ",", i})
			i++
		case r == '=':
			toks = append(toks, token{tokOp, "=", i})
			i++
		case r == '<' || r == '>':
			op := string(r)
			if i+1 < len(s) && (s[i+1] == '=' || (r == '<' && s[i+1] == '>')) {
				op += string(s[i+1])
			}
			toks = append(toks, token{tokOp, op, i})
			i += len(op)
		case r == '!' && i+1 < len(s) && s[i+1] == '=':
			// Not CQL2, but common enough to deserve a pointed message.
			toks = append(toks, token{tokOther, "!=", i})
			i += 2
		case isDigit(r) || ((r == '-' || r == '+' || r == '.') && i+1 < len(s) && (isDigit(rune(s[i+1])) || s[i+1] == '.')):
			n := number(s[i:])
			toks = append(toks, token{tokNumber, s[i : i+n], i})
			i += n
		case isIdentStart(r):
			j := i + size
			for j < len(s) {
				r2, size2 := utf8.DecodeRuneInString(s[j:])
				if !isIdentPart(r2) {
					break
				}
				j += size2
			}
			toks = append(toks, token{tokIdent, s[i:j], i})
			i = j
		default:
			toks = append(toks, token{tokOther, string(r), i})
			i += size
		}
	}
	return append(toks, token{tokEOF, "", len(s)}), nil
}

// quoted reads a literal opened by q at s[start], where a doubled q stands
// for one q, and returns its text and length in bytes.
func quoted(s string, start int, q byte) (string, int, error) {
	var b strings.Builder
	i := start + 1
	for i < len(s) {
		if s[i] == q {
			if i+1 < len(s) && s[i+1] == q {
				b.WriteByte(q)
				i += 2
				continue
			}
			return b.String(), i + 1 - start, nil
		}
		b.WriteByte(s[i])
		i++
	}
	what := "string"
	if q == '"' {
		what = "quoted property name"
	}
	return "", 0, &Error{Pos: start, Err: ErrSyntax, Msg: fmt.Sprintf("unterminated %s (missing closing %c)", what, q)}
}

// number returns the length of the numeric literal at the start of s:
// optional sign, digits, optional fraction and exponent.
func number(s string) int {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	for i < len(s) && isDigit(rune(s[i])) {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(rune(s[i])) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			j++
		}
		if j < len(s) && isDigit(rune(s[j])) {
			for j < len(s) && isDigit(rune(s[j])) {
				j++
			}
			i = j
		}
	}
	return i
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isIdentStart allows what CQL2 allows first in an identifier: letters,
// '_' and ':' (for prefixed names such as ogc:name).
func isIdentStart(r rune) bool { return r == '_' || r == ':' || unicode.IsLetter(r) }

// isIdentPart allows the characters CQL2 permits after the first one of an
// identifier, including ':' and '.' used in prefixed property names.
func isIdentPart(r rune) bool {
	return r == '_' || r == '.' || r == ':' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
