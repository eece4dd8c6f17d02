# The two commands: `make demo` (the portal with demo content, at
# http://127.0.0.1:5000) and `make test` (the whole test suite).
.PHONY: demo test stop install status i18n bench bench-portal bench-personal mail

demo:
	stack/demo.sh

test:
	stack/test.sh

# Time and peak RSS of the check suite vs the frictionless CLI on two
# generated 73 MB files (see bench/README.md).
#   BENCH_ARGS="--repeat 1" make bench    to pass options to bench/checks.py
bench: install
	.venv/bin/python bench/checks.py $(BENCH_ARGS)

# Server time and SQL per request of the portal seeded at a region's size
# (S/2 then S), against a vanilla CKAN on the same data (see bench/README.md).
#   BENCH_ARGS="--quick" make bench-portal    a small size, a few minutes
bench-portal: install
	.venv/bin/python bench/portal.py $(BENCH_ARGS)

# Precision and recall of the personal data check on the labelled corpus of
# tests/fixtures/personal (see bench/README.md).
bench-personal: install
	.venv/bin/python bench/personal.py

# The latest messages the demo's mail catcher kept (From, To, Subject, Date,
# the text body):  N=10 make mail, or MAIL_ARGS="-n 10".
N ?= 5
mail:
	@stack/stack.sh mail demo -n $(N) $(MAIL_ARGS)

stop:
	stack/stack.sh stop demo
	stack/stack.sh stop test

status:
	@echo "demo:"; stack/stack.sh status demo
	@echo "test:"; stack/stack.sh status test

install:
	stack/stack.sh install

# Refresh the .pot from the code and templates, then merge it into fr.
i18n: install
	.venv/bin/python setup.py -q extract_messages
	.venv/bin/python setup.py -q update_catalog -l fr
