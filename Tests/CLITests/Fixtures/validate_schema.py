"""Validates YAML specs or JSON results files against a JSON Schema with the
`jsonschema` package (an independent, maintained validator).

YAML is read the way editors read it: YAML 1.2's core schema, which the YAML language
server (VS Code, Neovim, JetBrains) uses. `0`, `1e-3` and `0x10` are numbers, `true` and
`True` booleans, `~`, `null` and an empty value null, everything else a string; `yes`,
`010` (octal in YAML 1.1) and dates are not special. PyYAML follows YAML 1.1, so its
resolvers are replaced; it parses with libyaml, nnrun's own parser. Mapping keys become
strings, as in JSON.

usage: validate_schema.py SCHEMA FILE...
           exit 0 when every file is valid; prints each problem.
       validate_schema.py --accepted SCHEMA FILE...
           prints the files the schema accepts, one per line, then
           "REJECTED FILE: why" for each of the others; exit 0 unless the schema itself is bad."""
import json
import re
import sys

import jsonschema
import yaml


class CoreSchemaLoader(yaml.CSafeLoader):
    """PyYAML's safe loader on libyaml, with YAML 1.2's core schema instead of YAML 1.1's resolvers."""


CoreSchemaLoader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    # The YAML 1.1 merge key, which the YAML language server and nnrun both expand.
    ("merge", r"^(?:<<)$", ["<"]),
]:
    CoreSchemaLoader.add_implicit_resolver("tag:yaml.org,2002:" + tag, re.compile(pattern), list(first))


def construct_core_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)  # decimal, leading zeros included: 010 is 10 in YAML 1.2


CoreSchemaLoader.add_constructor("tag:yaml.org,2002:int", construct_core_int)


def json_keys(value):
    """Mapping keys as JSON has them: strings (true -> "true", null -> "null")."""
    if isinstance(value, dict):
        return {json.dumps(key) if not isinstance(key, str) else key: json_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_keys(item) for item in value]
    return value


def load(path):
    with open(path, "rb") as f:
        if path.endswith((".yaml", ".yml")):
            return json_keys(yaml.load(f, Loader=CoreSchemaLoader))
        return json.load(f)


def main(arguments):
    accepted_mode = arguments[:1] == ["--accepted"]
    if accepted_mode:
        arguments = arguments[1:]
    schema = json.load(open(arguments[0]))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = arguments[1:]
    failed = 0
    for path in files:
        try:
            document = load(path)
        except (yaml.YAMLError, ValueError, TypeError) as error:
            problems = [f"not readable as YAML 1.2 or JSON: {str(error).splitlines()[0][:200]}"]
        else:
            problems = []
            for error in validator.iter_errors(document):
                where = "/".join(str(p) for p in error.absolute_path)
                problems.append(f"{where}: {error.message[:300]}")
        if accepted_mode:
            print(path if not problems else f"REJECTED {path}: {problems[0]}")
        else:
            failed += len(problems)
            for problem in problems:
                print(f"{path}: {problem}")
    if not accepted_mode:
        print(f"{len(files)} files, {failed} errors")
    return 1 if failed else 0


sys.exit(main(sys.argv[1:]))
