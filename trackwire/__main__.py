from trackwire.cli import main

main()
