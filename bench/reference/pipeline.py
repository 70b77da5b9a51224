#!/usr/bin/env python3
"""The pipeline a team without connector-gen would write, as the benchmark's reference:
PyYAML loads each definition, `jsonschema` validates it against schemas/connector.schema.json,
Jinja2 renders connector-gen's own templates (cyclr.json.j2, docs.md.j2, and client.rs.j2
with the client/*.rs.j2 partials it includes), and the files are written, with the Rust
clients' shared runtime (runtime/src/runtime.rs, copied as it is to rust/runtime.rs once
per run, as connector-gen writes it).

    pipeline.py DEFINITIONS MODELS OUT [--loader c|python]

It renders from the model connector-gen computed (`connector-gen model DEFINITIONS --out
MODELS`, read as JSON here) instead of redoing the semantic checks and the modelling, so it
does less work than connector-gen: a conservative baseline. The filters below are ports of
src/render/escape.rs (with the inline Markdown parser of src/markdown.rs), the filters of
src/render/mod.rs, the Rust code filters of src/render/rust.rs and the script writer of
src/render/cyclr.rs; the environment reads `a.b`, joins lists and indents text (docs.md.j2
indents macro output under list items) as minijinja does. The output matches connector-gen's
byte for byte on the synthetic catalogues (bench/run.py checks that before timing anything), the shipped
connectors and the valid fixtures.

Versions: bench/reference/requirements.txt.
"""

import argparse
import json
import os
import re
import sys
import unicodedata

import jinja2
import jsonschema
import yaml
from markupsafe import Markup

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BIDI = set(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])
MARKDOWN_SPECIAL = set("\\`*_[]<>#|{}!$")
NOT_BACKTICK = re.compile("[^`]")


# --- ports of src/render/escape.rs -------------------------------------------------------


def rust_string(text):
    out = ['"']
    for c in text:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif c == "\0":
            out.append("\\0")
        elif ord(c) < 0x20 or ord(c) == 0x7F or c in BIDI:
            out.append("\\u{%x}" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def markdown_escape(text):
    out = []
    for c in text:
        if c in BIDI:
            out.append("&#x%X;" % ord(c))
        elif c in MARKDOWN_SPECIAL:
            out.append("\\" + c)
        elif c == "&":
            out.append("&amp;")
        else:
            out.append(c)
    return "".join(out)


def collapse_whitespace(text):
    return " ".join(text.split())


def rust_doc(text, indent=0, inner=False):
    pad = " " * indent
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = markdown_escape(line.strip())
        lines.append(f"{pad}///" if not line else f"{pad}/// {line}")
    if text.endswith("\n") and lines:
        lines.pop()  # str::lines() yields no empty last line
    doc = "\n".join(lines)
    if inner:
        doc = "\n".join(line.replace("///", "//!", 1) for line in doc.split("\n"))
    return Markup(doc)


def doc_text(text):
    return Markup(markdown_escape(collapse_whitespace(text)))


def longest_backtick_run(text):
    # text.split(|c| c != '`').map(str::len).max(): the longest run of consecutive backticks.
    return max(len(run) for run in NOT_BACKTICK.split(text))


def doc_code(text):
    text = "".join("\uFFFD" if c in BIDI else c for c in collapse_whitespace(text))
    longest = longest_backtick_run(text)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


def comment_text(text):
    return Markup("".join(c for c in collapse_whitespace(text) if not (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) and c not in BIDI))


def is_rust_ident(text):
    return bool(text) and (text[0].isascii() and (text[0].isalpha() or text[0] == "_")) and all(c.isascii() and (c.isalnum() or c == "_") for c in text)


def ident(text):
    if not is_rust_ident(text):
        raise ValueError(f"`{text}` is not a Rust identifier")
    return Markup(text)


def rust_type(text):
    if not text or not all((c.isascii() and c.isalnum()) or c in "_<>:, &" for c in text):
        raise ValueError(f"`{text}` is not a Rust type")
    return Markup(text)


def rust_literal(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(rust_literal(v) for v in value) + "]"
    return str(value)


def width(text):
    # str::len(): Rust measures layout widths in UTF-8 bytes.
    return len(text.encode("utf-8"))


def array_text(items, indent, mixed):
    # escape::rust_array, on items already turned into text.
    one_line = ", ".join(items)
    if width(one_line) <= 60:
        return f"[{one_line}]"
    inner = indent + 4
    lines = []
    for item in items:
        if lines and mixed and inner + width(lines[-1]) + 1 + width(item) < 100:
            lines[-1] += " " + item + ","
        else:
            lines.append(item + ",")
    pad = " " * inner
    return "[\n" + "\n".join(pad + line for line in lines) + "\n" + " " * indent + "]"


def rust_array(items, indent, layout):
    # The `rust_array` filter of src/render/mod.rs.
    return Markup(array_text([rust_literal(i) for i in items], indent, layout == "mixed"))


def needs_liquid_escape(text):
    return "{{" in text or "{%" in text


def protect_endraw(text):
    return text.replace("{%", "{%{% endraw %}{% raw %}")


def liquid_safe(text):
    return "{% raw %}" + protect_endraw(text) + "{% endraw %}" if needs_liquid_escape(text) else text


def markdown_text(text):
    one_line = ""
    for i, run in enumerate(_split_whitespace_keep_empty(text)):
        if i > 0 and not one_line.endswith(" "):
            one_line += " "
        one_line += run
    return liquid_safe(markdown_escape(one_line))


def _split_whitespace_keep_empty(text):
    # str::split(char::is_whitespace): every whitespace character separates, empty runs kept.
    runs, current = [], []
    for c in text:
        if c.isspace():
            runs.append("".join(current))
            current = []
        else:
            current.append(c)
    runs.append("".join(current))
    return runs


def escape_block_start(line):
    if line.startswith("```"):
        return "&#x200B;" + line
    if line == "^":
        return "&#x5E;"
    first = line[:1]
    second = line[1:2]
    starts_block = False
    if first in ("#", ">", "|", "=", ":"):
        starts_block = True
    elif first in ("-", "+", "*"):
        solid = [c for c in line if not c.isspace()]
        thematic = all(c == first for c in solid) and len(solid) >= 3
        starts_block = second in ("", " ") or thematic
    elif first.isascii() and first.isdigit():
        digits = len(line) - len(line.lstrip("0123456789"))
        starts_block = line[digits:digits + 1] in (".", ")")
    if not starts_block:
        return line
    digits = len(line) - len(line.lstrip("0123456789"))
    return line[:digits] + "\\" + line[digits:] if digits else "\\" + line


# escape::markdown_inline: authored inline Markdown parsed into tokens (markdown::parse_inline),
# as tuples ("text", s), ("code", s), ("em", marker, children), ("link", children, target),
# ("image", alt, src).

ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
URL_CHARS = set("-._~/?#@!$&*+,;=%:")


def _is_ws(c):
    # char::is_whitespace
    return c.isspace() and c not in "\x1c\x1d\x1e\x1f"


def _is_punct(c):
    return c in ASCII_PUNCT or (not c.isalnum() and not _is_ws(c) and not c.isascii())


def allowed_target(target, image):
    if not target or not all((c.isascii() and c.isalnum()) or c in URL_CHARS for c in target):
        return False
    if len(target) > 8 and target[:8].lower() == "https://":
        return True
    relative = ":" not in target and "&" not in target and not target.startswith("//")
    return relative and (not image or not target.startswith("#"))


def _run(chars, at, c):
    n = 0
    while at + n < len(chars) and chars[at + n] == c:
        n += 1
    return n


def _code_span_close(chars, at):
    n = _run(chars, at, "`")
    i = at + n
    while i < len(chars):
        if chars[i] == "`":
            m = _run(chars, i, "`")
            if m == n:
                return i
            i += m
        else:
            i += 1
    return None


def _link_at(chars, at):
    depth, i = 0, at
    while True:
        if i >= len(chars):
            return None
        c = chars[i]
        if c == "\\" and i + 1 < len(chars) and chars[i + 1] in ASCII_PUNCT:
            i += 2
        elif c == "`":
            close = _code_span_close(chars, i)
            i = close + _run(chars, close, "`") if close is not None else i + _run(chars, i, "`")
        elif c == "[":
            depth += 1
            i += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                break
            i += 1
        else:
            i += 1
    label_end = i
    if label_end + 1 >= len(chars) or chars[label_end + 1] != "(":
        return None
    start = label_end + 2
    try:
        close = chars.index(")", start)
    except ValueError:
        return None
    return label_end, "".join(chars[start:close]), close + 1


def _plain_text(chars):
    out, i = [], 0
    while i < len(chars):
        if chars[i] == "\\" and i + 1 < len(chars) and chars[i + 1] in ASCII_PUNCT:
            i += 1
        out.append(chars[i])
        i += 1
    return "".join(out)


def _push_text(inlines, text):
    if inlines and inlines[-1][0] == "text":
        inlines[-1] = ("text", inlines[-1][1] + text)
    else:
        inlines.append(("text", text))


def parse_inline(chars, in_link):
    pieces, text = [], []

    def flush():
        if text:
            pieces.append(("token", ("text", "".join(text))))
            text.clear()

    i = 0
    while i < len(chars):
        c = chars[i]
        if c == "\\" and i + 1 < len(chars) and chars[i + 1] in ASCII_PUNCT:
            text.append(chars[i + 1])
            i += 2
        elif c == "`":
            n = _run(chars, i, "`")
            close = _code_span_close(chars, i)
            if close is not None:
                code = "".join(chars[i + n:close])
                if len(code) >= 2 and code.startswith(" ") and code.endswith(" ") and code.strip(" "):
                    code = code[1:-1]
                flush()
                pieces.append(("token", ("code", code)))
                i = close + n
            else:
                text.extend(chars[i:i + n])
                i += n
        elif c in "![" and not in_link:
            image = c == "!"
            open_ = i + 1 if image else i
            found = None
            if open_ < len(chars) and chars[open_] == "[":
                found = _link_at(chars, open_)
                if found is not None and not allowed_target(found[1], image):
                    found = None
            if found is not None:
                label_end, target, end = found
                flush()
                label = chars[open_ + 1:label_end]
                if image:
                    pieces.append(("token", ("image", _plain_text(label), target)))
                else:
                    pieces.append(("token", ("link", parse_inline(label, True), target)))
                i = end
            else:
                text.append(c)
                i += 1
        elif c in "*_":
            n = _run(chars, i, c)
            before = chars[i - 1] if i > 0 else " "
            after = chars[i + n] if i + n < len(chars) else " "
            left = not _is_ws(after) and (not _is_punct(after) or _is_ws(before) or _is_punct(before))
            right = not _is_ws(before) and (not _is_punct(before) or _is_ws(after) or _is_punct(after))
            if c == "*":
                can_open, can_close = left, right
            else:
                can_open = left and (not right or _is_punct(before))
                can_close = right and (not left or _is_punct(after))
            if n <= 2 and (can_open or can_close):
                flush()
                pieces.append(("delim", c, n, can_open, can_close))
            else:
                text.extend(chars[i:i + n])
            i += n
        else:
            text.append(c)
            i += 1
    flush()
    return _pair_emphasis(pieces)


def _pair_emphasis(pieces):
    frames = [[None, []]]

    def unwind():
        delim, content = frames.pop()
        parent = frames[-1][1]
        if delim is not None:
            _push_text(parent, delim[0] * delim[1])
        for inline in content:
            if inline[0] == "text":
                _push_text(parent, inline[1])
            else:
                parent.append(inline)

    for piece in pieces:
        if piece[0] == "token":
            token = piece[1]
            if token[0] == "text":
                _push_text(frames[-1][1], token[1])
            else:
                frames[-1][1].append(token)
            continue
        _, c, n, can_open, can_close = piece
        opener = None
        if can_close:
            for at in range(len(frames) - 1, -1, -1):
                if frames[at][0] == (c, n):
                    opener = at
                    break
        if opener is not None:
            while len(frames) > opener + 1:
                unwind()
            _, content = frames.pop()
            marker = {("*", 1): "*", ("_", 1): "_", ("*", 2): "**"}.get((c, n), "__")
            frames[-1][1].append(("em", marker, content))
        elif can_open:
            frames.append([(c, n), []])
        else:
            _push_text(frames[-1][1], c * n)
    while len(frames) > 1:
        unwind()
    return frames.pop()[1]


INLINE_SPECIAL = set("\\*_[]#|{}!$~")


def _push_inline_text(out, text):
    # `out` is a list of non-empty pieces; its last piece ends as the Rust string does.
    for i, c in enumerate(text):
        if c in BIDI:
            out.append("&#x%X;" % ord(c))
        elif c in INLINE_SPECIAL:
            out.append("\\" + c)
        elif c == "`":
            # an entity, not `\``: kramdown's table scan reads code spans but not escapes
            out.append("&#96;")
        elif c == ":" and out and out[-1].endswith("]"):
            out.append("\\:")
        elif c == "<":
            out.append("&lt;")
        elif c == ">" and (text[i + 1:i + 2] == ">" or (out and out[-1].endswith("&gt;"))):
            # `>>` would be kramdown's typographic `»`
            out.append("&gt;")
        elif c == "&":
            out.append("&amp;")
        else:
            out.append(c)


def _push_code_span(out, code):
    # Code starting or ending with a backtick or a space becomes a `<code>` element of
    # escaped text (kramdown's table rows drop a code span's padding spaces).
    if not code:
        return
    if code[:1] in ("`", " ") or code[-1:] in ("`", " "):
        out.append("<code>")
        _push_inline_text(out, code)
        out.append("</code>")
        return
    fence = "`" * (longest_backtick_run(code) + 1)
    out.append(f"{fence}{code}{fence}")


def _render_inlines(out, inlines):
    for inline in inlines:
        kind = inline[0]
        if kind == "text":
            _push_inline_text(out, inline[1])
        elif kind == "code":
            _push_code_span(out, inline[1])
        elif kind == "em":
            out.append(inline[1])
            _render_inlines(out, inline[2])
            out.append(inline[1])
        elif kind == "link":
            out.append("[")
            _render_inlines(out, inline[1])
            out.append(f"]({inline[2]})")
        else:
            out.append("![")
            _push_inline_text(out, inline[1])
            out.append(f"]({inline[2]})")


def md_inline(text):
    out = []
    _render_inlines(out, parse_inline(list(collapse_whitespace(text)), False))
    return Markup(liquid_safe(escape_block_start("".join(out))))


def md_cell(text):
    # escape::markdown_cell: a cell of only `-`, `:`, `+` (and spaces) would read as a
    # table's separator line, so its first character is escaped.
    inline = str(md_inline(text))
    if inline[:1] in ("-", ":", "+") and all(c in "-:+ " for c in inline):
        inline = "\\" + inline
    return Markup(inline)


def normalize_newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def md_code(code, language=None):
    code = normalize_newlines(code)
    longest = longest_backtick_run(code)
    fence = "`" * (max(longest, 2) + 1)
    language = "".join(c for c in (language or "") if (c.isascii() and c.isalnum()) or c in "+-")
    block = f"{fence}{language}\n{code.rstrip(chr(10))}\n{fence}"
    if needs_liquid_escape(block):
        block = "{% raw %}\n" + protect_endraw(block) + "\n{% endraw %}"
    return Markup(block)


FRONT_MATTER_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}


def front_matter_text(text):
    return "".join(
        FRONT_MATTER_ESCAPES.get(c, c)
        for c in text
        if not (unicodedata.category(c) == "Cc" or c in BIDI)
    )


# What Rust's `str::parse::<f64>` accepts: a sign, then `inf`, `infinity` or `nan` in any
# case, or decimal digits with an optional exponent (no whitespace or underscores, unlike
# Python's float()).
RUST_F64 = re.compile(r"[+-]?(?:(?i:inf|infinity|nan)|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")


def yaml_scalar(text):
    text = front_matter_text(text)

    plain = (
        text
        and text[0].isascii() and text[0].isalpha()
        and all((c.isascii() and c.isalnum()) or c in " -_./()" for c in text)
        and not text.endswith(" ")
        and text.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "y", "n", "~")
        and not RUST_F64.fullmatch(text)
    )
    return Markup(text if plain else json.dumps(text, ensure_ascii=False))


def list_marker(number, ordered):
    # escape::list_marker: `*` or `N.`, left-aligned in max(len + 1, 4) columns.
    marker = f"{number}." if ordered else "*"
    return Markup(marker.ljust(max(len(marker) + 1, 4)))


def json_number(value):
    # serde_json's text of a number: integers as they are, an f64 as zmij (serde_json's
    # float writer) writes it: the shortest digits that read back, in positional notation
    # for decimal exponents -5 to 15 (`0.00001` where Python writes `1e-05`), else as
    # `1.5e-7` and `1e+16` (no zero padding of the exponent, unlike Python's `1.5e-07`).
    if isinstance(value, int):
        return str(value)
    text = repr(float(value))
    sign = "-" if text.startswith("-") else ""
    mantissa, _, exponent = text.lstrip("-").partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    # value = 0.DIGITS x 10^point
    point = len(whole.lstrip("0")) if whole.strip("0") else -(len(fraction) - len(fraction.lstrip("0")))
    point += int(exponent or 0)
    digits = digits.rstrip("0") or "0"
    if digits == "0":
        return sign + "0.0"
    length, k = len(digits), point - len(digits)  # value = DIGITS x 10^k
    if 0 <= k and point <= 16:
        return f"{sign}{digits}{'0' * k}.0"
    if 0 < point <= 16:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    if -5 < point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    exponent = f"e{'+' if point > 0 else '-'}{abs(point - 1)}"
    return f"{sign}{digits[0]}{'.' + digits[1:] if length > 1 else ''}{exponent}"


def yaml_value(value):
    # escape::yaml_value: an extra front-matter value (true, a number, text, a list of text).
    def text(value):
        if isinstance(value, str):
            return yaml_scalar(value)
        if isinstance(value, list):
            return "[" + ", ".join(text(item) for item in value) + "]"
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return "null"
        return json_number(value)

    return Markup(text(value))


def indent(text, width=4, first=False, blank=False):
    # minijinja's `indent` (not Jinja2's, which keeps a trailing newline, splits on every
    # line boundary str.splitlines knows and indents the first line even when blank): one
    # trailing `\n` (then `\r`) of the input dropped, the text split on `\n` only, blank lines
    # (the first too) indented only with `blank`, and one trailing `\n` (then `\r`) of the
    # result dropped. Safe text stays safe.
    def strip_trailing_newline(s):
        if s.endswith("\n"):
            s = s[:-1]
        if s.endswith("\r"):
            s = s[:-1]
        return s

    pad = " " * width
    lines = strip_trailing_newline(str(text)).split("\n")
    out = []
    if not first:
        out.append(lines.pop(0) + "\n")
    for line in lines:
        if line in ("", "\r"):
            out.append((pad if blank else "") + line + "\n")
        else:
            out.append(pad + line + "\n")
    result = strip_trailing_newline("".join(out))
    return Markup(result) if isinstance(text, Markup) else result


# --- ports of src/render/rust.rs ---------------------------------------------------------

RUNTIME_MODULE = "runtime"  # model::rust::RUNTIME_MODULE
MAX_WIDTH = 100  # rustfmt's `max_width`
FN_CALL_WIDTH = 60  # rustfmt's `fn_call_width`


def arg_kind(arg):
    # model::rust::ArgKind is externally tagged: "text", or {"page": {...}}.
    kind = arg["kind"]
    if isinstance(kind, str):
        return kind, {}
    (name, fields), = kind.items()
    return name, fields


def param(arg, lifetime=None):
    # render::rust::param
    name = arg["name"]
    kind, fields = arg_kind(arg)
    borrow = "&" if lifetime is None else f"&{lifetime} "
    if kind == "token":
        return f"{name}: &AccessToken"
    if kind == "optional_token":
        return f"{name}: Option<&AccessToken>"
    if kind in ("text", "since"):
        return f"{name}: {borrow}str"
    if kind == "optional_text":
        return f"{name}: Option<{borrow}str>"
    if kind == "page":
        return f"{name}: &PageRequest"
    if kind == "page_size":
        return f"{name}: u32"
    if kind == "body":
        return f"{name}: {borrow}{fields['type_name']}"
    raise ValueError(f"unknown argument kind `{kind}`")


def borrows(arg):
    # render::rust::borrows
    return arg_kind(arg)[0] not in ("page_size", "token", "optional_token")


def call_arg(arg):
    # render::rust::call_arg
    kind = arg_kind(arg)[0]
    if kind == "token":
        return f"&{arg['name']}"
    if kind == "optional_token":
        return f"{arg['name']}.as_ref()"
    return arg["name"]


def example_arg(arg, body_default):
    # render::rust::example_arg
    kind, fields = arg_kind(arg)
    if kind == "token":
        return "&token"
    if kind == "optional_token":
        return "Some(&token)"
    if kind == "text":
        return rust_string("1")
    if kind == "optional_text":
        return "None"
    if kind == "since":
        return rust_string(fields["sample"])
    if kind == "page":
        return f"&PageRequest::first({fields['page_size']})"
    if kind == "page_size":
        return str(fields["page_size"])
    if kind == "body":
        return f"&{fields['type_name']}::default()" if body_default else '&todo!("the request body")'
    raise ValueError(f"unknown argument kind `{kind}`")


def model_type(ty):
    # render::rust::rust_type
    kind = ty["kind"]
    if kind == "list":
        return f"Vec<{model_type(ty['item'])}>"
    if kind == "named":
        return ty["name"]
    return {"string": "String", "integer": "i64", "float": "f64", "boolean": "bool", "json": "serde_json::Value"}[kind]


def member_type(member):
    # render::rust::member_type
    if member["presence"] == "optional":
        return f"Option<{model_type(member['ty'])}>"
    return model_type(member["ty"])


def serde_attributes(member, indent):
    # render::rust::serde_attributes
    pad = " " * indent
    key = member["key"]
    if key is None:
        return Markup(f"{pad}#[serde(flatten)]")
    rename = f"rename = {rust_string(key)}"
    if indent + len("#[serde()]") + width(rename) <= MAX_WIDTH:
        text = f"{pad}#[serde({rename})]"
    else:
        text = f"{pad}#[serde(\n{pad}    {rename}\n{pad})]"
    presence, read_only = member["presence"], member.get("read_only", False)
    if read_only and presence in ("optional", "defaulted"):
        text += f"\n{pad}#[serde(default, skip_serializing)]"
    elif read_only and presence == "required":
        text += f"\n{pad}#[serde(skip_serializing)]"
    elif presence == "optional":
        text += f'\n{pad}#[serde(default, skip_serializing_if = "Option::is_none")]'
    elif presence == "defaulted":
        text += f"\n{pad}#[serde(default)]"
    return Markup(text)


def match_arm(pattern, value, indent):
    # render::rust::match_arm
    line = f"{pattern} => {value},"
    if indent + width(line) <= MAX_WIDTH:
        return line
    pad = " " * indent
    return f"{pattern} => {{\n{pad}    {value}\n{pad}}}"


def enum_arms(definition, direction, indent):
    # render::rust::enum_arms and the `rust_enum_arms` filter
    if direction not in ("as_str", "from"):
        raise ValueError(f"`{direction}` is neither as_str nor from")
    name = checked_ident(definition["name"])
    pad = " " * indent
    lines = []
    for variant in definition["variants"]:
        path = f"{name}::{checked_ident(variant['name'])}"
        value = rust_string(variant["value"])
        arm = match_arm(value, path, indent) if direction == "from" else match_arm(path, value, indent)
        lines.append(pad + arm)
    return Markup("\n".join(lines))


def query_local(local):
    # render::rust::query_local
    kind = local["kind"]
    if kind == "number":
        return f"let number = page.number({local['first']})?.to_string();"
    if kind == "offset":
        return "let offset = page.offset()?.to_string();"
    if kind == "size":
        return "let size = page.size.to_string();"
    return f"let cursors = page.cursors({local['count']})?;"


def sent_query_pair(sent):
    # render::rust::query_pair
    key = rust_string(".".join(sent["key"]))
    value = sent["value"]
    kind = value["kind"]
    if kind == "parameter":
        text = value["rust_name"] if value["optional"] else f"Some({value['rust_name']})"
    elif kind == "page_number":
        text = "Some(number.as_str())"
    elif kind == "offset":
        text = "Some(offset.as_str())"
    elif kind == "size":
        text = "Some(size.as_str())"
    elif kind == "cursor":
        text = f"cursors.map(|cursors| cursors[{value['index']}].as_str())"
    else:
        text = "Some(since)"
    return f"({key}, {text})"


def json_inserts(inserts, indent):
    # render::rust::json_inserts
    def insert(sent, indent):
        lists = sent.get("lists", [])
        if lists:
            function = "runtime::insert_json_at("
            keys = [
                f"runtime::Step::{'List' if i in lists else 'Key'}({rust_string(k)})"
                for i, k in enumerate(sent["key"])
            ]
        else:
            function = "runtime::insert_json("
            keys = [rust_string(k) for k in sent["key"]]
        value = sent["value"]
        kind = value["kind"]
        text = {
            "page_number": lambda: f"page.number({value.get('first')})?",
            "offset": lambda: "page.offset()?",
            "size": lambda: "page.size",
            "cursor": lambda: f"cursors[{value.get('index')}].as_str()",
            "since": lambda: "since",
            "parameter": lambda: value.get("rust_name"),
        }[kind]()
        items = ["&mut json", "&" + array_text(keys, indent + 4, False), text]
        return layout(items, function, ");", indent, True)

    pad = " " * indent
    lines = []
    cursors_placed = False
    for sent in inserts:
        if sent["value"]["kind"] == "cursor":
            if cursors_placed:
                continue
            cursors_placed = True
            block = f"{pad}if let Some(cursors) = page.cursors({sent['value']['count']})? {{"
            for cursor in inserts:
                if cursor["value"]["kind"] == "cursor":
                    block += f"\n{pad}    " + insert(cursor, indent + 4)
            block += f"\n{pad}}}"
            lines.append(block)
        else:
            lines.append(pad + insert(sent, indent))
    return Markup("\n".join(lines))


def paging_kind(kind, indent):
    # render::rust::paging_kind
    name = kind["kind"]
    field = None
    if name == "page_number":
        variant, field = "PageNumber", f"first: {kind['first']}"
    elif name == "offset":
        variant = "Offset"
    elif name == "cursor":
        array = array_text([rust_string(c) for c in kind["cursors"]], indent + 4, False)
        variant, field = "Cursor", f"cursors: &{array}"
    else:
        variant, field = "NextUrl", f"next: {rust_string(kind['next'])}"
    path = f"runtime::PagingKind::{variant}"
    if field is None:
        return Markup(path)
    if width(field) <= 18:
        return Markup(f"{path} {{ {field} }}")
    pad = " " * indent
    return Markup(f"{path} {{\n{pad}    {field},\n{pad}}}")


def field_ref(value):
    # render::rust::read::field: a FieldRef, or a FieldModel whose value only a sign-in
    # needs (held as an `Option`).
    return {
        "name": value["name"],
        "rust_name": value["rust_name"],
        "secret": value["secret"],
        "optional": value["optional"] or value.get("sign_in_only", False),
        "value_kind": value["value_kind"],
    }


def field_type(field, choice):
    # render::rust::field_type
    kind = field["value_kind"]
    if kind == "boolean":
        ty = "bool"
    elif kind == "integer":
        ty = "i64"
    elif kind == "choice":
        ty = choice if choice is not None else "String"
    else:
        ty = "Secret" if field["secret"] else "String"
    return f"Option<{ty}>" if field["optional"] else ty


def config_str(field, config):
    # render::rust::config_str
    place = f"{config}.{field['rust_name']}"
    kind, optional = field["value_kind"], field["optional"]
    if kind == "boolean":
        return f"{place}.map(runtime::bool_str)" if optional else f"runtime::bool_str({place})"
    if kind == "integer":
        return f"{place}.map(|v| v.to_string()).as_deref()" if optional else f"&{place}.to_string()"
    if kind == "choice":
        return f"{place}.map(|v| v.as_str())" if optional else f"{place}.as_str()"
    return {
        (True, False): f"{place}.expose()",
        (True, True): f"{place}.as_ref().map(Secret::expose)",
        (False, False): f"{place}.as_str()",
        (False, True): f"{place}.as_deref()",
    }[(field["secret"], optional)]


def example_value(field, display_name, sample, choice):
    # render::rust::example_value
    if field["optional"]:
        return "None"
    kind = field["value_kind"]
    if kind == "boolean":
        return "false" if sample is None else sample
    if kind == "integer":
        return "0" if sample is None else sample
    if kind == "choice" and choice is not None:
        return f"{choice[0]}::{choice[1]}"
    sample = rust_string(f"your {display_name}" if sample is None else sample)
    if field["secret"]:
        return f"Secret::new({sample})"
    return f"{sample}.to_owned()"


def let_text(name, template, indent):
    # render::rust::let_text
    parts = template["parts"]
    if not parts:
        return f"let {name} = {rust_string('')}.to_owned();"
    if len(parts) == 1 and parts[0]["kind"] == "literal":
        return f"let {name} = {rust_string(parts[0]['text'])}.to_owned();"
    if len(parts) == 1 and parts[0]["kind"] == "field":
        field = field_ref(parts[0]["field"])
        if field["value_kind"] == "integer":
            return f"let {name} = self.config.{field['rust_name']}.to_string();"
        return f"let {name} = {config_str(field, 'self.config')}.to_owned();"
    format_string, args = [], []
    for part in parts:
        if part["kind"] == "literal":
            format_string.append(part["text"].replace("{", "{{").replace("}", "}}"))
        else:
            format_string.append("{}")
            args.append(config_str(field_ref(part["field"]), "self.config"))
    return let_call_with(name, "format!(", [rust_string("".join(format_string))] + args, indent, ");")


def check(value_check, name, value):
    # render::rust::check
    name = rust_string(name)
    kind = value_check["kind"]
    if kind == "pattern":
        return f"{value_check['rust_const']}.check({name}, {value})"
    if kind == "host_label":
        return f"runtime::check_host_label({name}, {value})"
    if kind == "host_name":
        return f"runtime::check_host_name({name}, {value})"
    if kind == "path_segment":
        return f"runtime::check_path_segment({name}, {value})"
    if kind == "header_value":
        return f"runtime::check_header_value({name}, {value})"
    if kind == "scope_token":
        return f"runtime::check_scope_token({name}, {value})"
    if kind == "url":
        return f"runtime::check_url({name}, {value})"
    raise ValueError(f"unknown check kind `{kind}`")


def rust_char(c):
    # escape::rust_char (Rust's `{:?}` of a char, for the characters URLs can hold)
    if c == "'":
        return "'\\''"
    if c == "\\":
        return "'\\\\'"
    return f"'{c}'"


def push_url_part(part):
    # render::rust::push_url_part
    if part["kind"] == "literal" and len(part["text"]) == 1:
        return f"url.push({rust_char(part['text'])});"
    return f"url.push_str({url_part(part)});"


def url_part(part):
    # render::rust::url_part
    kind = part["kind"]
    if kind == "literal":
        return rust_string(part["text"])
    if kind == "field":
        value = config_str(field_ref(part["field"]), "self.config")
        if part["context"] in ("host", "host_name", "origin"):
            return value
        if part["context"] == "path":
            return f"&runtime::percent_encode({value})"
        raise ValueError(f"unknown URL context `{part['context']}`")
    if kind == "parameter":
        return f"&runtime::encode_path_segment({rust_string(part['name'])}, {part['rust_name']})?"
    raise ValueError(f"unknown URL part kind `{kind}`")


def form_pair(pair):
    # render::rust::form_pair
    value = pair["value"]
    kind = value["kind"]
    if kind == "literal":
        value = rust_string(value["text"])
    elif kind == "field":
        field = field_ref(value)
        if field["value_kind"] == "integer" and not field["optional"]:
            value = f"&*self.config.{field['rust_name']}.to_string()"
        else:
            value = config_text(field)
    elif kind == "scope":
        value = "scope.as_str()"
    else:
        raise ValueError(f"unknown form value kind `{kind}`")
    return f"({rust_string(pair['name'])}, {value})"


def request_auth(token):
    # render::rust::request_auth
    return {
        "required": "runtime::Auth::Bearer(token)",
        "optional": "self.auth(token)",
        "none": "self.auth()",
    }[token]


def config_text(field):
    # render::rust::config_text
    if field["optional"]:
        if field["value_kind"] == "text":
            if field["secret"]:
                return f"runtime::given_secret(&self.config.{field['rust_name']}).expose()"
            return f"runtime::given_text(&self.config.{field['rust_name']})"
        return f"{config_str(field, 'self.config')}.unwrap_or_default()"
    return config_str(field, "self.config")


def config_secret(field):
    # render::rust::config_secret
    if field["optional"]:
        return f"runtime::given_secret(&self.config.{field['rust_name']})"
    return f"&self.config.{field['rust_name']}"


def sign_in_needs(sign_ins, indent):
    # render::rust::sign_in_needs
    pad = " " * indent
    text = ["let needs: &[(&'static str, bool)] = match config.sign_in_with {\n"]
    for sign_in in sign_ins:
        items = [f"({rust_string(field['name'])}, config.{field['rust_name']}.is_some())" for field in sign_in["needs"]]
        text.append(f"{pad}    SignInWith::{sign_in['variant']} => &{array_text(items, indent + 4, False)},\n")
    text.append(pad + "};")
    return "".join(text)


def sign_in_auth(sign_ins, indent):
    # render::rust::sign_in_auth
    pad = " " * indent
    text = ["match self.config.sign_in_with {\n"]
    for sign_in in sign_ins:
        auth = sign_in["auth"]
        kind = auth["kind"]
        if kind == "none":
            expression = "runtime::Auth::None"
        elif kind == "oauth2":
            expression = "token.map_or(runtime::Auth::None, runtime::Auth::Bearer)"
        elif kind == "api_key":
            placement = auth["placement"]
            if placement["in"] == "header":
                variant, place = "ApiKeyHeader", "header"
            else:
                variant, place = "ApiKeyQuery", "parameter"
            expression = (
                f"runtime::Auth::{variant} {{\n{pad}        {place}: {rust_string(placement['name'])},\n"
                f"{pad}        key: {config_secret(field_ref(auth['key']))},\n{pad}    }}"
            )
        elif kind == "basic":
            password = auth["password"]
            password = rust_string("") if password is None else config_text(field_ref(password))
            expression = (
                f"runtime::Auth::Basic {{\n{pad}        user: {config_text(field_ref(auth['username']))},\n"
                f"{pad}        password: {password},\n{pad}    }}"
            )
        else:
            raise ValueError(f"unknown auth kind `{kind}`")
        text.append(f"{pad}    SignInWith::{sign_in['variant']} => {expression},\n")
    text.append(pad + "}")
    return "".join(text)


def auth_expression(auth):
    # render::rust::auth
    kind = auth["kind"]
    if kind == "none":
        return "runtime::Auth::None"
    if kind == "oauth2":
        return None
    if kind == "api_key":
        key = f"&self.config.{auth['key']['rust_name']}"
        placement = auth["placement"]
        if placement["in"] == "header":
            if placement.get("prefix") is not None:
                # Sent as one of the client's headers (`rust.headers`) instead.
                return "runtime::Auth::None"
            return f"runtime::Auth::ApiKeyHeader {{\n    header: {rust_string(placement['name'])},\n    key: {key},\n}}"
        if placement["in"] == "query":
            return f"runtime::Auth::ApiKeyQuery {{\n    parameter: {rust_string(placement['name'])},\n    key: {key},\n}}"
        raise ValueError(f"unknown API key placement `{placement['in']}`")
    if kind == "basic":
        password = auth["password"]
        password = rust_string("") if password is None else config_str(field_ref(password), "self.config")
        return f"runtime::Auth::Basic {{\n    user: {config_str(field_ref(auth['username']), 'self.config')},\n    password: {password},\n}}"
    raise ValueError(f"unknown auth kind `{kind}`")


def row(states, indent):
    # render::rust::row
    return "&" + array_text([str(state) for state in states], indent, True)


def byte_literal(byte):
    # render::rust::byte_literal
    if byte == ord("'"):
        return "b'\\''"
    if byte == ord("\\"):
        return "b'\\\\'"
    if 0x21 <= byte <= 0x7E:  # u8::is_ascii_graphic
        return f"b'{chr(byte)}'"
    return f"0x{byte:02x}"


def byte_range(value):
    # render::rust::byte_range
    return f"({byte_literal(value['first'])}, {byte_literal(value['last'])}, {value['class']})"


def layout(items, open_, close, indent, call):
    # render::rust::layout
    one_line = ", ".join(items)
    fits = indent + width(open_) + width(one_line) + width(close) <= MAX_WIDTH and (not call or width(one_line) <= FN_CALL_WIDTH)
    if fits:
        return f"{open_}{one_line}{close}"
    pad = " " * (indent + 4)
    return f"{open_}\n" + "".join(f"{pad}{item},\n" for item in items) + " " * indent + close


# The filters of render::rust::register that check their arguments.


def rust_config_str(field, config):
    # the `rust_config_str` filter of render::rust::register
    if config not in ("config", "self.config"):
        raise ValueError(f"`{config}` is not a Config expression")
    return Markup(config_str(field_ref(field), config))


def rust_check(value_check, name, expression):
    # the `rust_check` filter of render::rust::register
    if not is_rust_ident(expression):
        raise ValueError(f"`{expression}` is not a local variable")
    return Markup(check(value_check, name, expression))


def rust_auth(model, indent):
    # the `rust_auth` filter of render::rust::register
    text = auth_expression(model)
    if text is None:
        raise ValueError("OAuth2 methods take their token as an argument")
    return Markup(text.replace("\n", "\n" + " " * indent))


def checked_ident(name):
    # render::rust::checked_ident
    if not is_rust_ident(name):
        raise ValueError(f"`{name}` is not a Rust identifier")
    return name


def rust_signature(args, of, name, indent, returns=None):
    # the `rust_signature` filter of render::rust::register
    name = checked_ident(name)
    returns = None if returns is None else model_type(returns)
    lifetime = None
    if of == "client" and returns is None:
        receiver, result = "&self", "Result<Request, Error>"
    elif of == "connection" and returns is not None:
        receiver, result = "&mut self", f"Result<{returns}, Error>"
    elif of == "pages" and returns is not None and any(borrows(a) for a in args):
        receiver, lifetime, result = "&'a mut self", "'a", f"Pages<'a, T, {returns}>"
    elif of == "pages" and returns is not None:
        receiver, result = "&mut self", f"Pages<'_, T, {returns}>"
    else:
        raise ValueError(f"`{of}` is not client, connection or pages (with the type they return)")
    params = [receiver] + [param(a, lifetime) for a in args]
    generics = "" if lifetime is None else f"<{lifetime}>"
    return Markup(layout(params, f"pub fn {name}{generics}(", f") -> {result} {{", indent, False))


def let_call(name, callee, items, indent):
    # render::rust::let_call
    return let_call_with(name, callee, items, indent, ")?;")


def let_call_with(name, callee, items, indent, close):
    # render::rust::let_call_with
    args = ", ".join(items)
    rhs = f"{callee}{args}{close}"
    line = f"let {name} = {rhs}"
    if width(args) <= FN_CALL_WIDTH and indent + width(line) <= MAX_WIDTH:
        return line
    if width(args) <= FN_CALL_WIDTH and indent + 4 + width(rhs) <= MAX_WIDTH:
        return f"let {name} =\n" + " " * (indent + 4) + rhs
    return layout(items, f"let {name} = {callee}", close, indent, True)


def rust_client_call(args, receiver, name, indent):
    # the `rust_client_call` filter of render::rust::register
    if receiver not in ("self", "connection"):
        raise ValueError(f"`{receiver}` is not a connection")
    name = checked_ident(name)
    items = [f"{receiver}.client()"] + [call_arg(a) for a in args]
    return Markup(let_call("request", f"Client::{name}(", items, indent))


def request_extras(own, connector, limit, indent):
    # render::rust::request_extras and the `rust_request_extras` filter
    pad = " " * indent
    lines = []
    for header in connector + own:
        lines.append(let_text("value", header["value"], indent))
        items = [rust_string(header["name"]), "value", "true" if header["secret"] else "false"]
        lines.append(let_call_with("request", "request.with_header(", items, indent, ");"))
    if limit is not None:  # model::rust::RustRateLimit
        lines.append(let_call_with("request", "request.with_rate_limit(", [rate_limit(limit["scope"], limit["limit"])], indent, ");"))
    return Markup("".join(f"{pad}{line}\n" for line in lines))


def rate_limit(scope, limit):
    # render::rust::rate_limit
    if limit["kind"] == "requests_per_second":
        return f"runtime::RateLimit::per_second({rust_string(scope)}, {limit['requests']})"
    if limit["kind"] == "seconds_between_requests":
        return f"runtime::RateLimit::every({rust_string(scope)}, {limit['seconds'] * 1000})"
    raise ValueError(f"unknown rate limit kind `{limit['kind']}`")


def rust_choice_arm(choice, type_name, indent):
    # the `rust_choice_arm` filter: one arm of a setting's `as_str`
    path = f"{checked_ident(type_name)}::{checked_ident(choice['variant'])}"
    return Markup(match_arm(path, rust_string(choice["value"]), indent))


def rust_check_call(args, fn_name, indent):
    # render::rust::check_call and the `rust_check_call` filter
    fn_name = checked_ident(fn_name)
    items = ["self.client()"]
    for arg in args:
        kind, fields = arg_kind(arg)
        if kind == "token":
            items.append("&token")
        elif kind == "optional_token":
            items.append("token.as_ref()")
        elif kind == "page":
            items.append(f"&PageRequest::first({fields['page_size']})")
        else:
            items.append("None")
    return Markup(let_call("request", f"Client::{fn_name}(", items, indent))


def rust_let_text(template, name, indent):
    # the `rust_let_text` filter
    return Markup(let_text(checked_ident(name), template, indent))


def rust_field_type(field):
    # the `rust_field_type` filter
    choice = field.get("rust_type")
    return Markup(field_type(field_ref(field), choice if isinstance(choice, str) else None))


def rust_example_value(field, display_name, sample=None, needed=None):
    # the `rust_example_value` filter
    choice_type = field.get("rust_type")
    variant = None
    for choice in field.get("choices", []):
        if variant is None or choice["value"] == sample:
            variant = choice["variant"]
    choice = (choice_type, variant) if isinstance(choice_type, str) and isinstance(variant, str) else None
    ref = field_ref(field)
    if needed:
        ref["optional"] = False
        return Markup(f"Some({example_value(ref, display_name, sample, choice)})")
    return Markup(example_value(ref, display_name, sample, choice))


def doc_url(template):
    # The `doc_url` filter: placeholder::Template::parse, each `<<Name>>` filled as `{Name}`.
    out, rest = [], 0
    while True:
        open_ = template.find("<<", rest)
        if open_ < 0:
            break
        start = open_ + 2
        end = start
        while end < len(template) and template[end].isascii() and template[end].isalnum():
            end += 1
        if end == start or not template.startswith(">>", end) or not template[start].isalpha():
            raise ValueError("a URL template that does not parse")
        out.append(template[rest:open_])
        out.append("{" + template[start:end] + "}")
        rest = end + 2
    out.append(template[rest:])
    return "".join(out)


def js_string(text):
    # serde_json::to_string of a string
    return json.dumps(text, ensure_ascii=False)


SCRIPT_OBJECTS = {
    "header": "method_request_headers",
    "query": "method_request_parameters",
    "merge_field": "method_request_mergefields",
    "token_field": "method_request",
}

BASIC_PART_HELPER = (
    "// The Basic auth value is base64 of `user:password`; part 0 is the user, 1 the password.\n"
    "function connector_gen_basic_part(part) {\n"
    "  var pair = atob(String(method_auth_value));\n"
    "  // atob gives one character per byte; the value is UTF-8 (RFC 7617).\n"
    "  try {\n    pair = decodeURIComponent(escape(pair));\n  } catch (e) {\n    // Not UTF-8: keep the bytes as they are.\n  }\n"
    "  var colon = pair.indexOf(':');\n"
    "  if (colon < 0) {\n    return part === 0 ? pair : '';\n  }\n"
    "  return part === 0 ? pair.slice(0, colon) : pair.slice(colon + 1);\n"
    "}\n"
)

FORM_HELPER = (
    "// application/x-www-form-urlencoded, as RFC 6749 section 2.3.1 asks of client credentials.\n"
    "function connector_gen_form(value) {\n"
    "  return encodeURIComponent(String(value)).replace(/[!'()~]/g, function (c) {\n"
    "    return '%' + c.charCodeAt(0).toString(16).toUpperCase();\n"
    "  }).replace(/%20/g, '+');\n"
    "}\n"
)


def script_value(value, helpers):
    # render::cyclr::value_text
    kind = value["kind"]
    if kind == "literal":
        return js_string(value["name"])
    if kind == "merge_field":
        return f"method_request_mergefields[{js_string(value['name'])}]"
    if kind == "script_parameter":
        return f"script_parameters[{js_string(value['name'])}]"
    if kind == "auth_value":
        return "method_auth_value"
    if kind == "basic_user":
        helpers.add("basic_part")
        return "connector_gen_basic_part(0)"
    if kind == "basic_password":
        helpers.add("basic_part")
        return "connector_gen_basic_part(1)"
    raise ValueError(f"an unknown script value {kind}")


def script_statement(statement, helpers, out):
    # render::cyclr::statement_text
    kind = statement["kind"]
    if kind == "zero_based_page":
        key = js_string(statement["param"])
        if statement["location"] == "body":
            target, value = "method_request", f"Number(method_request[{key}]) - 1"
        else:
            target = "method_request_parameters"
            value = f"String(Number(method_request_parameters[{key}]) - 1)"
        out.append(
            "  // The API numbers pages from 0; Cyclr's CYCLR_PAGE_NUMBER starts at 1.\n"
            f"  {target}[{key}] = {value};\n"
        )
    elif kind == "set":
        target, value = statement["target"], statement["value"]
        pieces = [script_value(piece, helpers) for piece in value]
        if not pieces:
            joined = "''"
        elif len(pieces) == 1 and value[0]["kind"] == "literal":
            joined = pieces[0]
        elif len(pieces) == 1:
            joined = f"String({pieces[0]})"
        else:
            joined = " + ".join(pieces)
        out.append(f"  {SCRIPT_OBJECTS[target['kind']]}[{js_string(target['name'])}] = {joined};\n")
    elif kind == "client_credentials_in_basic_header":
        helpers.add("form")
        out.append(
            "  // The client authenticates with HTTP Basic, not with form fields.\n"
            "  var id = method_request['client_id'];\n"
            "  var secret = method_request['client_secret'];\n"
            "  delete method_request['client_id'];\n"
            "  delete method_request['client_secret'];\n"
            "  method_request_headers['Authorization'] = 'Basic ' + btoa(connector_gen_form(id) + ':' + connector_gen_form(secret));\n"
        )
    else:
        raise ValueError(f"an unknown script statement {kind}")


def cyclr_script(script):
    # render::cyclr::script
    out, helpers = [], set()
    if script["before_action"]:
        out.append("function before_action() {\n")
        for statement in script["before_action"]:
            script_statement(statement, helpers, out)
        out.append("  return true;\n}\n")
    if script["before_token"]:
        out.append("function connector_gen_token_request() {\n")
        for statement in script["before_token"]:
            script_statement(statement, helpers, out)
        out.append("  return true;\n}\n")
        out.append("function before_oauth2_token() {\n  return connector_gen_token_request();\n}\n")
        out.append("function before_oauth2_refresh() {\n  return connector_gen_token_request();\n}\n")
    if "basic_part" in helpers:
        out.append(BASIC_PART_HELPER)
    if "form" in helpers:
        out.append(FORM_HELPER)
    return "".join(out)


FILTERS = {
    "rust_str": lambda text: Markup(rust_string(text)),
    "cyclr_script": cyclr_script,
    "rust_doc": rust_doc,
    "doc_text": doc_text,
    "doc_code": doc_code,
    "doc_url": doc_url,
    "comment_text": comment_text,
    "ident": ident,
    "rust_type": rust_type,
    "rust_array": rust_array,
    "md_inline": md_inline,
    "md_cell": md_cell,
    "md_code": md_code,
    "yaml": yaml_scalar,
    "yaml_value": yaml_value,
    "list_marker": list_marker,
    "indent": indent,
    "yaml_comment": comment_text,
    # render::rust::register
    "rust_field_type": rust_field_type,
    "rust_request_extras": request_extras,
    "rust_check_call": rust_check_call,
    "rust_choice_arm": rust_choice_arm,
    "rust_let_text": rust_let_text,
    "rust_config_str": rust_config_str,
    "rust_example_value": rust_example_value,
    "rust_check": rust_check,
    "rust_push_url_part": lambda part: Markup(push_url_part(part)),
    "rust_auth": rust_auth,
    "rust_request_auth": lambda token: Markup(request_auth(token)),
    "rust_config_text": lambda field: Markup(config_text(field_ref(field))),
    "rust_config_secret": lambda field: Markup(config_secret(field_ref(field))),
    "rust_sign_in_needs": lambda sign_ins, indent: Markup(sign_in_needs(sign_ins, indent)),
    "rust_sign_in_auth": lambda sign_ins, indent: Markup(sign_in_auth(sign_ins, indent)),
    "rust_type_of": lambda ty: Markup(model_type(ty)),
    "rust_member_type": lambda member: Markup(member_type(member)),
    "rust_serde_attributes": serde_attributes,
    "rust_enum_arms": enum_arms,
    "rust_signature": rust_signature,
    "rust_client_call": rust_client_call,
    "rust_example_args": lambda args, body_default: Markup(", ".join(example_arg(a, body_default) for a in args)),
    "rust_query_local": lambda local: Markup(query_local(local)),
    "rust_query_pairs": lambda query, indent: Markup(array_text([sent_query_pair(s) for s in query], indent, False)),
    "rust_json_inserts": json_inserts,
    "rust_paging_kind": paging_kind,
    "rust_form_pair": lambda pair: Markup(form_pair(pair)),
    "rust_form_pairs": lambda pairs, indent: Markup(array_text([form_pair(p) for p in pairs], indent, False)),
    "rust_byte_ranges": lambda ranges, indent: Markup(array_text([byte_range(r) for r in ranges], indent, False)),
    "rust_rows": lambda rows, indent: Markup(array_text([row(r, indent + 4) for r in rows], indent, False)),
}


# --- what the environment does with a bare value, per target (src/render/mod.rs) ----------


def scalar_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def finalize_json(value):
    if isinstance(value, Markup):
        return value
    return Markup(json.dumps(value, ensure_ascii=False))


def finalize_markdown(value):
    if isinstance(value, Markup) or isinstance(value, (bool, int, float)):
        return Markup(scalar_text(value))
    if isinstance(value, str):
        return Markup(markdown_text(value))
    raise ValueError("only strings and numbers can be printed into Markdown")


def finalize_rust(value):
    if isinstance(value, Markup) or isinstance(value, (bool, int, float)):
        return Markup(scalar_text(value))
    raise ValueError(f"a bare value cannot be printed into Rust code (value: {value})")


def join_filter(finalize):
    # minijinja's `join` under auto-escaping: plain items give plain text (escaped when
    # printed); once any item is safe, the unsafe ones are formatted as the template prints
    # them and the result is safe. (Jinja2's own would HTML-escape them.)
    def join(items, joiner="", attribute=None):
        items = list(items)
        if attribute is not None:
            items = [item[attribute] for item in items]
        if any(isinstance(item, Markup) for item in items):
            return Markup(str(joiner).join(item if isinstance(item, Markup) else finalize(item) for item in items))
        return str(joiner).join(scalar_text(item) if not isinstance(item, str) else item for item in items)

    return join


class ModelEnvironment(jinja2.Environment):
    """`a.b` reads key `b` of a mapping first, as minijinja does: the model has keys such as
    `keys` and `items` that Jinja2 would otherwise read as the dict's methods."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment(finalize):
    env = ModelEnvironment(
        loader=jinja2.FileSystemLoader(os.path.join(ROOT, "templates")),
        autoescape=True,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(FILTERS)
    env.filters["join"] = join_filter(finalize)
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("definitions")
    parser.add_argument("models")
    parser.add_argument("out")
    parser.add_argument("--loader", choices=["c", "python"], default="c")
    args = parser.parse_args()
    loader = yaml.CSafeLoader if args.loader == "c" else yaml.SafeLoader

    with open(os.path.join(ROOT, "schemas", "connector.schema.json")) as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
    targets = [
        (environment(finalize_json).get_template("cyclr.json.j2"), lambda m: f"cyclr/{m['id']}.json", True),
        (environment(finalize_markdown).get_template("docs.md.j2"), lambda m: f"docs/{m['docs']['permalink']}.md", False),
        (environment(finalize_rust).get_template("client.rs.j2"), lambda m: f"rust/{m['rust']['module']}.rs", False),
    ]
    made = set()
    failed = False
    # The runtime the Rust clients call into, written as it is once per run (render's
    # `Target::shared_outputs`).
    with open(os.path.join(ROOT, "runtime", "src", "runtime.rs"), "rb") as f:
        runtime = f.read()
    os.makedirs(os.path.join(args.out, "rust"), exist_ok=True)
    made.add(os.path.join(args.out, "rust"))
    with open(os.path.join(args.out, "rust", f"{RUNTIME_MODULE}.rs"), "wb") as f:
        f.write(runtime)
    for name in sorted(os.listdir(args.definitions)):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(args.definitions, name), encoding="utf-8") as f:
            document = yaml.load(f, Loader=loader)
        errors = list(validator.iter_errors(document))
        for error in errors:
            print(f"{name}: {error.json_path}: {error.message}", file=sys.stderr)
        if errors:
            failed = True
            continue
        with open(os.path.join(args.models, name[: -len(".yaml")] + ".json"), encoding="utf-8") as f:
            model = json.load(f)
        context = dict(model, as_crate=False)
        for template, path, is_json in targets:
            text = template.render(context)
            if is_json:
                json.loads(text)
            path = os.path.join(args.out, path(model))
            directory = os.path.dirname(path)
            if directory not in made:
                os.makedirs(directory, exist_ok=True)
                made.add(directory)
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
