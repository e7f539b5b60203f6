"""The build pipeline, one module a stage: load -> validate -> render -> write -> site (with
printing and pdf beside render). Each stage imports only the stages before it."""
