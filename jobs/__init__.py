"""Jobs below the front ends: work that the CLI, the web and CI start and report on."""
