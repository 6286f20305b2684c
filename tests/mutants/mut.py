#!/usr/bin/env python3
"""Read and apply the mutant files of tests/mutants/ (see tests/mutants/run).

  mut.py field FILE NAME     print header NAME's value (all of them, one a
                             line, for a field that repeats: test)
  mut.py apply FILE TARGET   replace the mutant's `find` text in TARGET by
                             its `replace` text; exit 2, saying so, unless
                             `find` occurs exactly once

A mutant file: `#` comments, `key: value` header lines (why, target, file,
test, timeout), then two blocks, each up to the next marker line:

  @@ find
  <exact text, any number of lines>
  @@ replace
  <text>
  @@ end

The blocks are taken byte for byte (tabs included), without the newline
that ends their last line.
"""
import sys

KEYS = {"why", "target", "file", "test", "timeout"}


def parse(path):
    fields, blocks, cur = {}, {}, None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for n, line in enumerate(lines, 1):
        if line.startswith("@@ "):
            mark = line[3:].strip()
            if mark == "end":
                cur = None
                continue
            if mark not in ("find", "replace") or mark in blocks:
                sys.exit(f"{path}:{n}: bad or repeated marker '{line}'")
            cur = mark
            blocks[cur] = []
            continue
        if cur:
            blocks[cur].append(line)
            continue
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, val = line.partition(":")
        if not sep or key.strip() not in KEYS:
            sys.exit(f"{path}:{n}: expected 'key: value' (keys: {', '.join(sorted(KEYS))})")
        fields.setdefault(key.strip(), []).append(val.strip())
    for k in ("why", "target", "file", "test"):
        if k not in fields:
            sys.exit(f"{path}: no '{k}:' line")
    if fields["target"][0] not in ("kernel", "repo"):
        sys.exit(f"{path}: target must be kernel or repo")
    for b in ("find", "replace"):
        if b not in blocks:
            sys.exit(f"{path}: no '@@ {b}' block")
    if blocks["find"] == blocks["replace"]:
        sys.exit(f"{path}: find and replace are the same")
    return fields, {k: "\n".join(v) for k, v in blocks.items()}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("field", "apply"):
        sys.exit(__doc__)
    fields, blocks = parse(sys.argv[2])
    if sys.argv[1] == "field":
        for v in fields.get(sys.argv[3], []):
            print(v)
        return
    target = sys.argv[3]
    with open(target, encoding="utf-8") as f:
        text = f.read()
    n = text.count(blocks["find"])
    if n != 1:
        print(f"mutant does not apply: its find text occurs {n} times in "
              f"{fields['file'][0]} (must be exactly once)", file=sys.stderr)
        sys.exit(2)
    with open(target, "w", encoding="utf-8") as f:
        f.write(text.replace(blocks["find"], blocks["replace"]))


if __name__ == "__main__":
    main()
