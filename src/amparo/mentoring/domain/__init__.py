"""Pure engines of the mentoring program (no Django): the mentor-matching solver
(``matching``) and its JSON contract (``contract``)."""
