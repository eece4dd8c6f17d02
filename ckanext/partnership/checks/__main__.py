"""``python -m ckanext.partnership.checks FILE [--schema SCHEMA.json]
[--dictionary DICTIONARY.json]``: run the whole check suite on a file and
print the report as JSON."""
from __future__ import annotations

import argparse
import json
import sys

from .dictionary import columns
from .suite import check_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ckanext.partnership.checks")
    parser.add_argument("file")
    parser.add_argument("--schema", help="a Table Schema (JSON file)")
    parser.add_argument("--dictionary",
                        help="a data dictionary (JSON list of {name, type, description, unit})")
    parser.add_argument("--format", help="the resource's format, e.g. CSV")
    parser.add_argument("--quota", type=int,
                        help="records allowed per dataset")
    args = parser.parse_args(argv)
    descriptor = None
    if args.schema:
        with open(args.schema, encoding="utf-8") as stream:
            descriptor = json.load(stream)
    dictionary = None
    if args.dictionary:
        with open(args.dictionary, encoding="utf-8") as stream:
            dictionary = columns(stream.read())
    report = check_file(args.file, descriptor=descriptor,
                        fmt=args.format or "CSV", url=args.file,
                        quota=args.quota, dictionary=dictionary)
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
