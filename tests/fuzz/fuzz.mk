# fuzz.mk -- libFuzzer targets and their regression replay (filled in by the
# fuzzing work; included by the Makefile before the unit-tests rule).
.PHONY: fuzz
fuzz:
	@echo "fuzz: no targets yet"
