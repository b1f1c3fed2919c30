#!/bin/sh
# run-one.sh FILE -- how prove runs one test: shell TAP files (.t) through
# sh, whatever their mode bits; unit test binaries directly.
case $1 in
  *.t) exec sh "$1" ;;
  *) exec "$1" ;;
esac
