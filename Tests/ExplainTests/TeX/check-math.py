#!/usr/bin/env python3
"""Parses every formula of explain's Markdown pages with a real TeX-grammar parser.

Usage: check-math.py PAGE.md...

Formulas are the `$$ ... $$` display blocks and the `$...$` inline spans outside code
spans (a `\\$` is an escaped dollar, not math). Each is parsed by matplotlib's mathtext,
which follows TeX's grammar: it refuses a double superscript (`w^{(1)}^{+}`), unbalanced
braces and unknown commands, as TeX, KaTeX and MathJax do. Prints one line per refused
formula (page, line, formula, the parser's message) and exits 1 if there is any; prints
the number of formulas checked.
"""
import re
import sys

from matplotlib.mathtext import MathTextParser


def formulas(text):
    """(line, formula) for every display and inline formula of a Markdown page."""
    found = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i] == "$$":
            end = lines.index("$$", i + 1)
            found.append((i + 2, "\n".join(lines[i + 1:end])))
            i = end + 1
            continue
        line, in_code, start, k = lines[i], False, None, 0
        while k < len(line):
            c = line[k]
            if c == "`":
                in_code = not in_code
            elif c == "\\" and not in_code and start is None:
                k += 2
                continue
            elif c == "$" and not in_code:
                if start is None:
                    start = k + 1
                else:
                    found.append((i + 1, line[start:k]))
                    start = None
            k += 1
        if start is not None:
            found.append((i + 1, "UNCLOSED $ " + line[start - 1:]))
        i += 1
    return found


# Digits never decide whether a formula parses: formulas that differ only in their
# numbers are parsed once (the page of a 3-layer network repeats a few shapes hundreds
# of times).
DIGITS = re.compile(r"[0-9]+(\.[0-9]+)?")


def main(paths):
    parser = MathTextParser("path")
    checked, refused = 0, 0
    parsed = set()
    for path in paths:
        with open(path, encoding="utf-8") as page:
            text = page.read()
        for line, formula in formulas(text):
            checked += 1
            try:
                if formula.startswith("UNCLOSED"):
                    raise ValueError("a $ opens math that is never closed")
                if "\n" in formula:
                    raise ValueError("a formula spans lines")
                shape = DIGITS.sub("1", formula)
                if shape not in parsed:
                    parser.parse("$" + formula + "$")
                    parsed.add(shape)
            except Exception as error:  # mathtext raises ValueError with the position
                refused += 1
                message = " ".join(str(error).split())
                print(f"{path}:{line}: refused: {formula}\n    {message}")
    print(f"{checked} formulas checked, {refused} refused")
    return 1 if refused or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
