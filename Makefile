# میز خدمت: `make run` serves the portal, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEV := DJANGO_SETTINGS_MODULE=portal.settings.dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup venv assets migrate demo lint format check clean screenshots

run: setup demo
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

setup: venv assets

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) is needed (set PYTHON=...)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

# Front-end assets from npm, copied where Django's static files finder serves them.
assets: static/vendor/.installed

static/vendor/.installed: package.json package-lock.json Makefile
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/vazirmatn static/vendor/jalalidatepicker
	cp node_modules/vazirmatn/fonts/webfonts/Vazirmatn-Regular.woff2 node_modules/vazirmatn/fonts/webfonts/Vazirmatn-Bold.woff2 node_modules/vazirmatn/OFL.txt static/vendor/vazirmatn/
	# the Farsi-digits cut (portal.css, desk/admin.css): digits typed in Latin still read as ۰-۹
	cp node_modules/vazirmatn/misc/Farsi-Digits/fonts/webfonts/Vazirmatn-FD-Regular.woff2 node_modules/vazirmatn/misc/Farsi-Digits/fonts/webfonts/Vazirmatn-FD-SemiBold.woff2 node_modules/vazirmatn/misc/Farsi-Digits/fonts/webfonts/Vazirmatn-FD-Bold.woff2 static/vendor/vazirmatn/
	cp node_modules/@majidh1/jalalidatepicker/dist/jalalidatepicker.min.js node_modules/@majidh1/jalalidatepicker/dist/jalalidatepicker.min.css static/vendor/jalalidatepicker/
	touch $@

# Pictures of every citizen page and state at 360 and 1280 px (tools/screenshots.py);
# look at them after any template or CSS change. SHOTS=folder to save elsewhere.
SHOTS ?= screenshots
screenshots: setup
	$(PY) tools/screenshots.py --out $(SHOTS)

migrate: setup
	$(DEV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV) $(PY) manage.py load_demo --demo-admin

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: venv
	$(DEV) $(PY) manage.py makemigrations --check --dry-run
	# A throwaway certificate stands in for the organisation's (docs/letters.md): without one
	# check --deploy refuses production (intake.E102).
	mkdir -p .check && $(PY) -c 'from intake.letters import write_self_signed_p12 as w; w(".check/check.p12", "check-only", "make check")'
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') LETTER_SIGNING_P12=.check/check.p12 LETTER_SIGNING_PASSWORD=check-only DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py check --deploy --fail-level WARNING
	rm -rf .check

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles .test-media .pytest_cache

# Persian admin (docs/accessibility.md «Persian admin»): the project's own catalogues
# in locale/ complete and override Wagtail's; compiled from locale/ only (compilemessages
# walks the folder it runs in, so never .venv or node_modules), again when a .po changes.
.PHONY: messages
setup: messages
messages: $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
locale/%.mo: locale/%.po | venv
	@command -v msgfmt >/dev/null 2>&1 || { echo "GNU gettext (msgfmt) is needed to compile locale/: apt-get install -y gettext"; exit 1; }
	cd locale && $(DEV) ../$(PY) ../manage.py compilemessages --verbosity 0
