"""Where people write and run code: flake8, the language server, IPython, `autocheck`.

Each module here sits on top of the static checker and the runtime inspectors and imports its
host (flake8, pygls, IPython, Keras, torch) only when that host is in use.
"""
