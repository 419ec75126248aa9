"""Writes the 10,000-row import file (semicolons, CRLF, Windows-1252, as Excel in a
Spanish locale saves it): python3 make_big.py OUT [ROWS]. Deterministic: row i has the
phone 099 + 7 digits of i and an appointment in 2030; every 500th row has a bad date, so
the report has refusals to count (20 in 10,000)."""
import sys

NAMES = ["José", "María", "Ñusta", "Andrés", "Lucía", "Raúl", "Inés", "Martín"]
SURNAMES = ["Núñez", "Pérez", "Muñoz", "Ibáñez", "Peña", "Chávez", "Cevallos", "Andrade"]


def rows(n):
    yield "Nombre;Teléfono;Correo;Fecha de cita;Tipo de cita;Consentimiento;Canal;Idioma"
    for i in range(n):
        name = f"{NAMES[i % 8]} {SURNAMES[(i // 8) % 8]} {i}"
        day, hour = 1 + i % 28, 8 + i % 10
        date = f"{day:02d}/03/2030 {hour:02d}:{i % 60:02d}" if i % 500 != 499 else "31/02/2030 10:00"
        yield f"{name};099{i:07d};p{i}@example.ec;{date};Consulta;sí;SMS;es"


def main():
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    with open(sys.argv[1], "wb") as f:
        f.write(("\r\n".join(rows(n)) + "\r\n").encode("cp1252"))


if __name__ == "__main__":
    main()
