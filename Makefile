# The two commands: `make demo` (the portal with demo content, at
# http://127.0.0.1:5000) and `make test` (the whole test suite).
.PHONY: demo test stop install status i18n

demo:
	stack/demo.sh

test:
	stack/test.sh

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
