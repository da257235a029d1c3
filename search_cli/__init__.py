"""The `hparkiv` command line: a thin layer over the stages."""
