# Publishing: `make pdf` (the whole book as one PDF) and `make check-site` (every page of the
# built site in headless Chromium). Included from the Makefile, which defines BIN, READY,
# ARTICLE and the target `book`.
CHROMIUM ?= /usr/bin/chromium
# No network of Chromium's own, no first-run pages; each run gets a fresh profile.
CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync
SUDO := $(shell test "$$(id -u)" = 0 || echo sudo)
PDF := _build/pdf/book.pdf
# The single-page build writes the whole book into the page of the toc's root, with asset
# paths relative to the build's top folder: it is printed from a copy placed there.
PDF_SOURCE = _build/singlehtml/$(shell sed -n 's/^root: *//p' _toc.yml).html
PDF_PAGE := _build/singlehtml/print.html
SITE_TOOLS := tools/node_modules/.installed

.PHONY: pdf check-site chromium

# Debian's chromium: playwright-core drives the system's browser instead of downloading one.
chromium:
	@test -x "$(CHROMIUM)" || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

$(SITE_TOOLS): tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The single-page build shares the execution cache with `make book`, then Chromium prints it.
pdf: $(READY) chromium
	$(BIN)/python -m diplotext.buildcache --build --builder singlehtml
	mkdir -p $(dir $(PDF)) && rm -f $(PDF) && cp $(PDF_SOURCE) $(PDF_PAGE)
	profile=$$(mktemp -d) && \
	"$(CHROMIUM)" $(CHROMIUM_FLAGS) --user-data-dir="$$profile" --no-pdf-header-footer \
		--print-to-pdf="$(abspath $(PDF))" "file://$(abspath $(PDF_PAGE))" 2>&1 | grep -v -e dbus -e 'unexpected operator' >&2; \
	rm -rf "$$profile"; test -s "$(PDF)"
	@echo "wrote $(PDF)"

# Every page at 1366 px and 390 px: screenshots in _build/screenshots, and a failure for any
# page whose main column scrolls sideways (or that has console errors, broken images, requests
# to other hosts or serious accessibility faults). SITE=path checks another build.
SITE ?= _build/html
check-site: $(if $(filter _build/html,$(SITE)),book) $(SITE_TOOLS) chromium
	node tools/check_site.mjs --site "$(SITE)" --out _build/screenshots --chromium "$(CHROMIUM)"
