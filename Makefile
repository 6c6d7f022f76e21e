# triage: every target creates .venv on first use.
comma := ,
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
EXTRAS := gui,test,cluster,mount,encrypt,formats,yarax,fve,bom
# the lock: every package of the app and the test environment, pinned with its hashes (make lock)
LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | sha256sum | cut -c1-12)
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test test-fast fuzz test-slow demo bench bench-scale lint dist app screenshots translations clean lock sbom audit

# the lock first (hashes required: nothing unpinned or altered gets in), then triage itself without
# dependencies; packaging/check_lock.py fails when pyproject names a package the lock lacks (make lock)
$(STAMP): pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PYTHON) packaging/check_lock.py pyproject.toml $(LOCK) $(EXTRAS)
	$(PY) -m pip install -q --require-hashes -r $(LOCK)
	$(PY) -m pip install -q --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# regenerate the lock after a change of pyproject's dependencies (every platform, Python 3.11+)
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q "uv>=0.4"
	$(PY) -m uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	  $(foreach e,$(subst $(comma), ,$(EXTRAS)),--extra $(e)) pyproject.toml -o $(LOCK)

# the CycloneDX bill of materials of the installed environment, shipped in the wheel and the app
sbom: $(STAMP)
	$(VENV)/bin/cyclonedx-py environment --of JSON --output-reproducible -o triage/data/sbom.cdx.json $(PY)

# known vulnerabilities in the locked packages (.ci/run); accepted ones: packaging/audit-accepted.txt
audit: $(STAMP)
	bash packaging/audit.sh $(LOCK)

venv: $(STAMP)

run: $(STAMP)
	$(PY) -m triage.gui_libs
	unset QT_QPA_PLATFORM; $(VENV)/bin/triage gui --demo

# everything CI runs (.ci/run calls this), slow tests included
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 --dist worksteal tests

# the quick loop: everything but the slow tests
test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 -m "not slow" tests

# a fuzz campaign: 672 more mutated images than the suite's 48 (seeds 0-719; about 15 min on 2 cores)
fuzz: $(STAMP)
	TRIAGE_FUZZ_EXTRA=672 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 tests/test_fuzz.py

test-slow: test

demo: $(STAMP)
	$(VENV)/bin/triage demo

bench: $(STAMP)
	$(PY) bench/scan_vs_tsk.py

# 1,000,000 files in a real ext4 image: scan, open in the GUI, search, export 10,000 (not in make test;
# the image is built once and cached, about 20 min; the default scan of it takes long on 2 cores)
bench-scale: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/scale.py

lint: $(STAMP)
	$(VENV)/bin/ruff check triage ui plugins tests bench examples
	$(VENV)/bin/ruff format --check triage ui plugins tests bench examples packaging
	$(VENV)/bin/mypy
	PYTHONPATH=.:ui:plugins $(VENV)/bin/lint-imports --no-cache

dist: sbom
	rm -rf dist/triage_workstation-* build/lib
	$(PY) -m pip install -q build
	$(PY) -m build --outdir dist .
	bash packaging/check_wheel.sh

app: sbom
	bash packaging/build_app.sh

clean:
	rm -rf $(VENV) build dist *.egg-info

# re-extract the UI strings into the French and Spanish catalogues (translations kept), recompile
# the committed .qm files, and list what is not translated yet (exit 1 then)
TS := ui/triage_ui/i18n/triage_fr.ts ui/triage_ui/i18n/triage_es.ts
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -extensions py -locations none -no-obsolete ui/triage_ui -ts $(TS)
	$(VENV)/bin/pyside6-lrelease $(TS)
	$(PY) -m triage_ui.i18n.check

# on Xvfb with the xcb platform (the tool starts one X server per size): docs/screenshots/<WxH>/
screenshots: $(STAMP)
	$(PY) -m triage_ui.screenshots docs/screenshots --sizes 1366x768,1920x1080
