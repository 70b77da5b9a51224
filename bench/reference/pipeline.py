#!/usr/bin/env python3
"""The pipeline a team without connector-gen would write, as the benchmark's reference:
PyYAML loads each definition, `jsonschema` validates it against schemas/connector.schema.json,
Jinja2 renders connector-gen's own three templates, and the files are written.

    pipeline.py DEFINITIONS MODELS OUT [--loader c|python]

It renders from the model connector-gen computed (`connector-gen model DEFINITIONS --out
MODELS`, read as JSON here) instead of redoing the semantic checks and the modelling, so it
does less work than connector-gen: a conservative baseline. The filters below are ports of
src/render/escape.rs, and the output matches connector-gen's byte for byte on the synthetic
catalogues (bench/run.py checks that before timing anything).

Versions: bench/reference/requirements.txt.
"""

import argparse
import json
import os
import sys

import jinja2
import jsonschema
import yaml
from markupsafe import Markup

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BIDI = set(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])
MARKDOWN_SPECIAL = set("\\`*_[]<>#|{}!$")


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


def doc_code(text):
    text = "".join("\uFFFD" if c in BIDI else c for c in collapse_whitespace(text))
    longest = max((len(run) for run in text.replace("`", "\0`\0").split("\0") if run.startswith("`")), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


def comment_text(text):
    return Markup("".join(c for c in collapse_whitespace(text) if not (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) and c not in BIDI))


def ident(text):
    if not (text and (text[0].isascii() and (text[0].isalpha() or text[0] == "_")) and all(c.isascii() and (c.isalnum() or c == "_") for c in text)):
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


def rust_array(items, indent, layout):
    items = [rust_literal(i) for i in items]
    one_line = ", ".join(items)
    if len(one_line) <= 60:
        return Markup(f"[{one_line}]")
    inner = indent + 4
    lines = []
    for item in items:
        if lines and layout == "mixed" and inner + len(lines[-1]) + 1 + len(item) < 100:
            lines[-1] += " " + item + ","
        else:
            lines.append(item + ",")
    pad = " " * inner
    return Markup("[\n" + "\n".join(pad + line for line in lines) + "\n" + " " * indent + "]")


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
    first = line[:1]
    second = line[1:2]
    starts_block = False
    if first in ("#", ">", "|", "="):
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


def md_inline(text):
    out, in_code = [], False
    for c in collapse_whitespace(text):
        if c == "`":
            in_code = not in_code
            out.append(c)
        elif c == "<" and not in_code:
            out.append("&lt;")
        else:
            out.append(c)
    out = "".join(out)
    if in_code:
        out = out.replace("`", "\\`")
    return Markup(liquid_safe(escape_block_start(out)))


def md_code(code, language=None):
    code = code.replace("\r\n", "\n")
    longest = max((len(run) for run in code.replace("`", "\0`\0").split("\0") if run.startswith("`")), default=0)
    fence = "`" * (max(longest, 2) + 1)
    language = "".join(c for c in (language or "") if (c.isascii() and c.isalnum()) or c in "+-")
    block = f"{fence}{language}\n{code.rstrip(chr(10))}\n{fence}"
    if needs_liquid_escape(block):
        block = "{% raw %}\n" + protect_endraw(block) + "\n{% endraw %}"
    return Markup(block)


def yaml_scalar(text):
    def is_float(t):
        try:
            float(t)
            return t.strip() == t and t.lower() not in ("inf", "-inf", "+inf", "nan", "infinity", "-infinity", "+infinity")
        except ValueError:
            return False

    plain = (
        text
        and text[0].isascii() and text[0].isalnum()
        and all((c.isascii() and c.isalnum()) or c in " -_./()" for c in text)
        and not text.endswith(" ")
        and text.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "y", "n", "~")
        and not is_float(text)
    )
    return Markup(text if plain else json.dumps(text, ensure_ascii=False))


FILTERS = {
    "rust_str": lambda text: Markup(rust_string(text)),
    "rust_doc": rust_doc,
    "doc_text": doc_text,
    "doc_code": doc_code,
    "comment_text": comment_text,
    "ident": ident,
    "rust_type": rust_type,
    "rust_array": rust_array,
    "md_inline": md_inline,
    "md_code": md_code,
    "yaml": yaml_scalar,
    "yaml_comment": comment_text,
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


def environment(finalize):
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.join(ROOT, "templates")),
        autoescape=True,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(FILTERS)
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
        (environment(finalize_rust).get_template("client.rs.j2"), lambda m: f"rust/{m['id'].replace('-', '_')}.rs", False),
    ]
    made = set()
    failed = False
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
