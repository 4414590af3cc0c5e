import NnrunCommands

Nnrun.main()
