# The two commands of the README. Everything else is plain CMake + ctest.
BUILD_DIR ?= build
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
ifeq ($(CI),true)
  CMAKE_FLAGS += -DTESSERA_WERROR=ON
endif

.PHONY: run test build deps configure clean bench sanitize format

run: build
	TESSERA=$(BUILD_DIR)/bin/tessera ./scripts/quickstart.sh

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

deps:
	./scripts/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD_DIR)/CMakeCache.txt ]; then \
	  cmake -S . -B $(BUILD_DIR) -G "$(GENERATOR)" $(CMAKE_FLAGS); \
	fi

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

bench: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target tessera-bench
	$(BUILD_DIR)/bin/tessera-bench

# ASan + UBSan build of everything, then the full test suite.
sanitize: deps
	cmake -S . -B build-asan -G "$(GENERATOR)" -DTESSERA_SANITIZE=address,undefined \
	  -DTESSERA_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

format:
	git ls-files '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
