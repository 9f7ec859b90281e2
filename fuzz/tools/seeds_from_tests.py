#!/usr/bin/env python3
"""Seeds the fuzz corpora from the string literals of pairscope's tests.

Every string or byte-string literal in tests/*.rs and in the unit tests of src/ whose first
line looks like one of the inputs the fuzz targets read is unescaped and written to
fuzz/corpus/<target>/seed-test-<sha1-prefix>, so a rerun adds nothing twice. Run from the repository root:
    python3 fuzz/tools/seeds_from_tests.py
"""
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'(b?)"((?:[^"\\]|\\.)*)"', re.S)


def unescape(body: str) -> bytes:
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        n = body[i + 1]
        if n == "\n":  # line continuation: skip the newline and the next line's indent
            i += 2
            while i < len(body) and body[i] in " \t":
                i += 1
            continue
        simple = {"n": b"\n", "r": b"\r", "t": b"\t", "0": b"\0", "\\": b"\\", '"': b'"', "'": b"'"}
        if n in simple:
            out += simple[n]
            i += 2
        elif n == "x":
            out.append(int(body[i + 2 : i + 4], 16))
            i += 4
        elif n == "u":
            end = body.index("}", i)
            out += chr(int(body[i + 3 : end], 16)).encode()
            i = end + 1
        else:
            out += ("\\" + n).encode()
            i += 2
    return bytes(out)


def target_of(data: bytes):
    first = data.split(b"\n", 1)[0].lower().lstrip(b"\xef\xbb\xbf").strip()
    cols = [c.strip() for c in first.split(b",")]
    if b"\n" not in data and re.match(rb"^\s*(size|order|mean|std|layout)\s*=", first):
        return "embed_spec"
    if b"\n" not in data:
        return None
    if b"image_a" in cols and b"image_b" in cols:
        return "pairs_csv"
    if b"labeler" in cols and b"pair_id" in cols:
        return "labels_csv"
    if b"score" in cols and b"pair_id" in cols:
        return "scores_csv"
    if b"image" in cols and b"identity" in cols:
        return "identities_csv"
    if re.match(rb"^\S+\s+\S+$", first) and re.match(rb"^\d", first):
        return "lfw_pairs_txt"
    return None


def main():
    files = sorted((ROOT / "tests").glob("**/*.rs")) + sorted((ROOT / "src").glob("**/*.rs"))
    added = {}
    for file in files:
        for m in LITERAL.finditer(file.read_text(errors="replace")):
            try:
                data = unescape(m.group(2))
            except (ValueError, IndexError):
                continue
            target = target_of(data)
            if target is None or len(data) > 4096 or b"INSERT " in data:
                continue
            folder = ROOT / "fuzz" / "corpus" / target
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / ("seed-test-" + hashlib.sha1(data).hexdigest()[:12])
            if not path.exists():
                path.write_bytes(data)
                added[target] = added.get(target, 0) + 1
    for target, n in sorted(added.items()):
        print(f"{target}: {n} seeds added")


if __name__ == "__main__":
    main()
