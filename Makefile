# Makefile: wraps CMake, as cmark does. `make run` and `make test` first
# install the Debian packages that are missing (tools/deps.sh).

BUILDDIR ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX ?= /usr/local
FUZZ_SECONDS ?= 60

BUILD_DEPS = cmake make gcc pkg-config libedit-dev libcjson-dev picosat \
             libcmocka-dev nettle-dev
TEST_DEPS = $(BUILD_DEPS) clang libclang-rt-14-dev valgrind locales \
            chromium poppler-utils
BENCH_DEPS = $(BUILD_DEPS) time
COVERAGE_DEPS = $(BUILD_DEPS) gcovr locales

.PHONY: all build deps run test asan valgrind fuzz coverage bench install \
        uninstall format lint clean

all: build

deps:
	@sh tools/deps.sh $(BUILD_DEPS)

build: deps
	cmake --preset default -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	cmake --build $(BUILDDIR) -j $(JOBS)

run: build
	@$(BUILDDIR)/cdguide

# The whole suite three ways: plain (gcc), ASan+UBSan (clang), valgrind.
test:
	@sh tools/deps.sh $(TEST_DEPS)
	@command -v node >/dev/null && command -v npm >/dev/null || \
	  sh tools/deps.sh nodejs npm
	cmake --preset default >/dev/null
	cmake --build build -j $(JOBS)
	ctest --test-dir build --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory asan valgrind
	@sh tools/fuzz.sh build-fuzz 10

asan:
	cmake --preset asan >/dev/null
	cmake --build build-asan -j $(JOBS)
	ctest --test-dir build-asan --output-on-failure -j $(JOBS)

valgrind:
	cmake --preset valgrind >/dev/null
	cmake --build build-valgrind -j $(JOBS)
	ctest --test-dir build-valgrind --output-on-failure -j $(JOBS) -LE novalgrind

fuzz:
	@sh tools/deps.sh $(TEST_DEPS)
	@sh tools/fuzz.sh build-fuzz $(FUZZ_SECONDS)

coverage:
	@sh tools/deps.sh $(COVERAGE_DEPS)
	cmake --preset coverage >/dev/null
	cmake --build build-coverage -j $(JOBS)
	find build-coverage -name '*.gcda' -delete
	ctest --test-dir build-coverage -j $(JOBS)
	gcovr -r . --filter 'rules/' --filter 'content/' \
	  --branches --print-summary build-coverage

bench: build
	@sh tools/deps.sh $(BENCH_DEPS)
	@command -v node >/dev/null && command -v npm >/dev/null || \
	  sh tools/deps.sh nodejs npm
	@sh bench/run.sh $(BUILDDIR)

install: build
	cmake --install $(BUILDDIR) --prefix $(PREFIX)

# The manifest lists paths without DESTDIR: give the same DESTDIR as to
# `make install` (or `cmake --install`).
uninstall:
	@test -f $(BUILDDIR)/install_manifest.txt || \
	  { echo "cdguide: nothing installed from $(BUILDDIR)"; exit 1; }
	sed 's|^|$(DESTDIR)|' $(BUILDDIR)/install_manifest.txt | xargs rm -f

format:
	clang-format -i content/*.[ch] rules/*.[ch] cli/*.[ch] tests/*.[ch] tools/*.c

lint:
	clang-tidy -p $(BUILDDIR) content/*.c rules/*.c cli/*.c

clean:
	rm -rf build build-asan build-valgrind build-coverage build-fuzz
