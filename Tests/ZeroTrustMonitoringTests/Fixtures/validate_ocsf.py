#!/usr/bin/env python3
"""Validates OCSF events (one JSON object a line) against the official OCSF 1.7.0 JSON schemas.

Usage: validate_ocsf.py EVENTS.jsonl
Prints one line per event: "ok <class_uid>" or "error <class_uid> <message>". Exits 0 when every
event validates, 1 when one does not, 3 when the validator's packages are missing
(pip install ocsf-json-schema jsonschema; scripts/setup.sh installs them).
"""
import json
import sys

try:
    import jsonschema
    from ocsf_json_schema import get_ocsf_schema, OcsfJsonSchemaEmbedded
except ImportError as error:
    print(f"missing python package: {error}; run scripts/setup.sh", file=sys.stderr)
    sys.exit(3)

schema = OcsfJsonSchemaEmbedded(get_ocsf_schema(version="1.7.0"))
failed = False
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        event = json.loads(line)
        class_uid = event.get("class_uid")
        class_name = schema.lookup_class_name_from_uid(class_uid)
        class_schema = schema.get_class_schema(class_name=class_name, profiles=[])
        errors = list(jsonschema.Draft202012Validator(class_schema).iter_errors(event))
        if errors:
            failed = True
            print(f"error {class_uid} {'; '.join(e.message for e in errors)[:500]}")
        else:
            print(f"ok {class_uid}")
sys.exit(1 if failed else 0)
