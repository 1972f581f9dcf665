from footprint.cli import main

main()
