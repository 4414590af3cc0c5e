"""Validates YAML specs or JSON results files against a JSON Schema with the
`jsonschema` package (an independent, maintained validator). YAML is read as YAML 1.2
reads numbers (PyYAML follows YAML 1.1, where 5e-10 without a dot is a string).

usage: validate_schema.py SCHEMA FILE...   exit 0 when every file is valid."""
import json
import re
import sys

import jsonschema
import yaml

yaml.SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$"),
    list("-0123456789"),
)

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failed = 0
for path in sys.argv[2:]:
    with open(path) as f:
        document = yaml.safe_load(f) if path.endswith((".yaml", ".yml")) else json.load(f)
    for error in validator.iter_errors(document):
        failed += 1
        where = "/".join(str(p) for p in error.absolute_path)
        print(f"{path}: {where}: {error.message[:300]}")
print(f"{len(sys.argv) - 2} files, {failed} errors")
sys.exit(1 if failed else 0)
