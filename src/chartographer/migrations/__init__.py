"""Alembic migrations, shipped inside the package so ``chartographer db upgrade`` works."""
