"""The commands (`build`, `check`, `serve`, `deploy`) and the command line that runs them."""
