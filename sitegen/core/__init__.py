"""What every stage shares: problems and errors, safe reading of input files, URL rules, parallel work."""
