from search_cli.cli import main

main()
