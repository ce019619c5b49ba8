from adcraft.cli import main

main()
