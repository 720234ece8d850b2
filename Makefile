# ZeroTrustKit. Quick start on a fresh Debian machine with a Swift 6 toolchain:
#   make demo    set-up, build, and the end-to-end demo
#   make test    set-up, build (no warnings allowed), and every test
SHELL := /bin/bash
SWIFT ?= swift
BUILD_LOG := .build/build.log
DOCS_DIR := .build/docs
DOC_MODULES := ZeroTrustCrypto ZeroTrustIdentity ZeroTrustPolicy ZeroTrustEnvelope ZeroTrustMonitoring ZeroTrustKit ZeroTrustKitTesting

.PHONY: setup build demo test bench bench-envelope-memory docs clean

setup:
	@bash scripts/setup.sh

build: setup
	@mkdir -p .build
	$(SWIFT) build --build-tests 2>&1 | tee $(BUILD_LOG); test $${PIPESTATUS[0]} -eq 0
	@bash scripts/check-warnings.sh $(BUILD_LOG)

demo: setup
	$(SWIFT) build --product zt
	@$$($(SWIFT) build --show-bin-path)/zt demo

test: build
	$(SWIFT) test

bench: setup
	$(SWIFT) package --package-path Benchmarks benchmark
	@bash scripts/envelope-memory-check.sh

# Issue 6's whole-process memory target (≤ 16 MiB streaming 1 and 4 GiB files); part of `bench`.
bench-envelope-memory: setup
	@bash scripts/envelope-memory-check.sh

# One DocC archive per public module in .build/docs/<Module>.doccarchive, built by swift-docc-plugin;
# any DocC warning (a broken symbol link, a misplaced parameter) fails the target.
docs: setup
	$(SWIFT) package --allow-writing-to-directory $(DOCS_DIR) generate-documentation \
		$(addprefix --target ,$(DOC_MODULES)) --output-path $(DOCS_DIR) --warnings-as-errors

clean:
	rm -rf .build Benchmarks/.build
