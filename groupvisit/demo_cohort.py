"""Who is in the demo's diabetes cohort and what they did at its first two sessions."""

from .demo_sessions import Visit

# clinic name, room name, language, chart number, birth date, agreement signed on ("" = none on file)
ROSTER = (
    ("María López García", "María L.", "es", "100231", "1961-04-12", "2026-09-01"),
    ("James Carter", "James", "en", "100245", "1958-11-03", "2026-09-01"),
    ("Aisha Rahman", "Aisha", "en", "100262", "1970-02-27", "2026-09-01"),
    ("Roberto Díaz", "Roberto", "es", "100278", "1965-07-19", "2026-09-01"),
    ("Linda Nguyen", "Linda N.", "en", "100281", "1953-05-30", "2026-09-08"),
    ("Walter Brooks", "Walt", "en", "100297", "1949-12-14", "2026-09-01"),
    ("Carmen Ruiz", "Carmen", "es", "100304", "1968-03-08", "2026-09-01"),
    ("Dev Patel", "Dev", "en", "100319", "1975-09-22", "2026-09-01"),
    ("Grace Kim", "Grace", "en", "100326", "1962-01-05", ""),
    ("Samuel Okoro", "Samuel O.", "en", "100333", "1957-06-17", "2026-09-15"),
)

WALKING = ("Caminar después de cenar", "20 minutos", "después de cenar", "5 días a la semana")


def first_session(ids: list[str], names: list[str]) -> list[Visit]:
    """Session 1: eight of the ten come (Grace and Samuel do not)."""
    p = dict(zip(ids, names))
    maria, james, aisha, roberto, linda, walt, carmen, dev = ids[:8]
    return [
        Visit(maria, p[maria], topic="Comer bien sin gastar mucho", numbers=(138, 86, 78.5, 162),
              request="Mis pies se sienten dormidos", strategy="Cocino frijoles para toda la semana el domingo",
              goal=(*WALKING, 7), rating=5, helped="Escuchar a otros con lo mismo", change="Más tiempo para preguntas"),
        Visit(james, p[james], topic="Low blood sugar at night", numbers=(142, 90, 96.0, 181),
              request="Metformin makes my stomach upset", strategy="A glucose tab in every coat pocket",
              goal=("Check my sugar before bed", "once", "at bedtime", "every night", 8), rating=4,
              helped="Real tips from people who live it", change="Start on time"),
        Visit(aisha, p[aisha], topic="Eating out with family", numbers=(128, 82, 71.0, 140),
              strategy="Order first so the menu does not tempt me",
              goal=("Bring a salad to family dinners", "one dish", "Sundays", "every week", 9), rating=5,
              helped="The eating-out ideas", change=""),
        Visit(roberto, p[roberto], topic="Cansancio y ánimo", numbers=(150, 94, 101.0, 210),
              request="Quiero hablar de mi presión", goal=("Caminar con mi perro", "15 minutos", "por la mañana",
                                                          "cada día", 6), rating=3,
              helped="La charla", change="Menos tiempo de espera para la consulta"),
        Visit(linda, p[linda], numbers=(134, 80, 68.0, 155), strategy="Set a phone alarm for my pills",
              goal=("Take pills with breakfast", "both pills", "breakfast", "every day", 10), rating=5,
              helped="Feeling less alone", change="A handout to take home"),
        Visit(walt, p[walt], topic="Reading food labels", request="Can I stop one of my pills?",
              goal=("Read the label before buying snacks", "every snack", "when shopping", "each trip", 7),
              rating=4, helped="Label reading", change="Bigger print on the screen"),
        Visit(carmen, p[carmen], numbers=(126, 78, 82.0, 133), strategy="Agua con limón en vez de refresco",
              goal=("Cambiar el refresco por agua", "1 refresco menos", "en la comida", "cada día", 8), rating=5,
              helped="Las ideas de comida", change=""),
        Visit(dev, p[dev], request="My glucose meter reads high", rating=4, helped="The group", change="Evening sessions"),
    ]


def second_session(ids: list[str], names: list[str]) -> list[Visit]:
    """Session 2: seven of session 1's come back with follow-ups (Aisha and Dev do not), Grace comes at last."""
    p = dict(zip(ids, names))
    maria, james, _aisha, roberto, linda, walt, carmen, _dev, grace = ids[:9]
    return [
        Visit(maria, p[maria], numbers=(132, 84, 77.6, 150), follow_up=("partly", "Llovió mucho"),
              topic="Recetas para las fiestas", goal=(*WALKING, 8), rating=5,
              helped="Las recetas", change=""),
        Visit(james, p[james], numbers=(138, 88, 95.2, 166), follow_up=("done", ""),
              request="Night sugars are better: can we adjust?",
              strategy="Peanut butter on toast before bed helps me", rating=5,
              goal=("Log my bedtime sugar", "one line", "at bedtime", "every night", 9), helped="Follow-up on my goal",
              change=""),
        Visit(roberto, p[roberto], numbers=(146, 92, 100.1, 196), follow_up=("not_yet", "Me dolía la rodilla"),
              topic="Ejercicio con dolor de rodilla", request="Rodilla y ejercicio",
              goal=("Ejercicios en silla", "10 minutos", "por la tarde", "3 días a la semana", 7), rating=4,
              helped="Ideas para moverme sin dolor", change=""),
        Visit(linda, p[linda], numbers=(130, 78, 67.4, 148), follow_up=("done", ""),
              strategy="A pill box with the days of the week", rating=5, helped="Everything", change=""),
        Visit(walt, p[walt], follow_up=("partly", "Forgot my glasses at the store"), topic="Holiday meals",
              goal=("Keep reading glasses in the car", "1 pair", "before shopping", "each trip", 9), rating=4,
              helped="Holiday tips", change="Bigger print on the screen"),
        Visit(carmen, p[carmen], numbers=(124, 76, 81.1, 128), follow_up=("done", ""), rating=5,
              strategy="Dejo la fruta lavada a la vista", helped="Compartir", change=""),
        Visit(grace, p[grace], topic="Stress and sugar", numbers=(136, 84, 64.0, 170),
              request="New to the group: my first review",
              goal=("Breathing exercise", "5 minutes", "before lunch", "workdays", 6), rating=4,
              helped="Welcoming group", change="An intro for new people"),
    ]
