"""Test articles for the cross-article step, written for these tests (no real article text)."""

from __future__ import annotations

WIRE = (
    "A freight train carrying grain left the tracks near the town of Millbrook on Tuesday "
    "morning, blocking the main rail line between Harlow and Dunmore for most of the day. "
    "Eleven wagons tipped over on a bend beside the river, and workers spent hours moving "
    "spilled grain away from the water. No one was hurt, the regional rail operator said in a "
    "statement. Passenger services between the two cities were replaced by buses, and the "
    "operator warned that delays could last until Thursday while engineers inspect the damaged "
    "track. The mayor of Millbrook, Clara Benton, said the town had asked for a full "
    "inquiry. “We have been warning about that bend for years,” Benton said. Local residents "
    "told reporters they heard a long screech before the wagons fell. The rail safety board "
    "sent two investigators to the scene in the afternoon."
)

NEW_LEDE = (
    "Commuters faced a second day of disruption on Wednesday after a derailment in the north. "
    + WIRE
)

REWRITE = (
    "A grain train left the tracks near the town of Millbrook on Tuesday morning, blocking the "
    "main rail line between Harlow and Dunmore for most of the day. No one was hurt, the "
    "regional rail operator said in a statement. Eleven wagons tipped over on a sharp bend "
    "beside the river, and crews spent hours moving spilled grain away from the water. "
    "Passenger services between the two cities were replaced by coaches, and the operator "
    "warned that delays could last until Thursday while engineers inspect the damaged "
    "track. The mayor of Millbrook, Clara Benton, said the town had asked for a full public "
    "inquiry. “We have been warning about that bend for years,” Benton said. The rail safety "
    "board sent two investigators to the scene in the afternoon."
)

INDEPENDENT = (
    "Investigators are trying to work out why eleven grain wagons came off the rails outside "
    "Millbrook, a riverside town whose residents have long complained about the curve where "
    "the accident happened. Clara Benton, who has led the town council since 2019, called for "
    "an inquiry. “We have been warning about that bend for years,” Benton said. Trains between "
    "Harlow and Dunmore stopped running, and travellers crowded onto replacement buses. A "
    "spokesman for the rail safety board confirmed that two of its inspectors had reached "
    "Millbrook and would examine the track and the wagons. Nobody was injured in the "
    "derailment, which spilled grain along the riverbank."
)

UNRELATED = (
    "The city council of Port Avery voted on Monday to extend the opening hours of its public "
    "libraries, after a campaign by students who said they had nowhere quiet to study in the "
    "evenings. The change will cost about two hundred thousand a year and will be paid for by "
    "trimming the budget for road signs. Councillor Imran Qadir, who proposed the motion, said "
    "the libraries were among the few free indoor spaces left in the city. Opponents argued "
    "that the money would be better spent on repairing potholes. The new hours start next "
    "month and will be reviewed after a year."
)

UNRELATED_2 = (
    "A small software company in Elmstead has released a free tool that helps farmers track "
    "rainfall across their fields using cheap sensors. The founders, two former teachers, said "
    "they built the first version in a garden shed during the winter. Farmers in the valley "
    "have tested it for a season and say it helped them decide when to water. The company "
    "plans to publish its designs so that anyone can build the sensors at home, and it is "
    "looking for a partner to help with distribution in neighbouring regions."
)

# A developing story: the day-1 event, then follow-ups days later, each with a new angle and
# a vocabulary of its own, held together by the names they share.
FIRE_DAY1 = (
    "A fire tore through a furniture warehouse in the Eastvale district of Rosmouth on Monday "
    "night, sending a column of black smoke over the harbour. Two workers on the night shift "
    "were taken to Rosmouth General Hospital with burns, and one of them is in a serious "
    "condition. Crews from the Rosmouth Fire Service fought the blaze for six hours before it "
    "was brought under control shortly after dawn. The building belongs to Tarrow Freight, "
    "which stores sofas and beds there for shops across the region. Fire chief Ilse Marchetti "
    "said the roof had collapsed and that the cause was not yet known. Nearby streets were "
    "closed overnight and residents were told to keep their windows shut."
)

FIRE_DAY3 = (
    "Inspectors found that two emergency exits at the Tarrow Freight warehouse in Eastvale "
    "had been chained shut weeks before Monday's fire, according to a report seen by this "
    "newspaper. The report, written after a routine visit in March, warned the company that "
    "blocked doors broke the building code and gave it thirty days to act. Ilse Marchetti, "
    "the Rosmouth fire chief, declined to discuss the document but said her investigators "
    "would examine every door. A spokesman for Tarrow Freight said the firm had complied with "
    "all requests. One of the injured workers remains in intensive care at Rosmouth General "
    "Hospital. Unions called for prosecutors to open a criminal inquiry into the owners."
)

FIRE_DAY6 = (
    "Prosecutors in Rosmouth have opened a criminal inquiry into Tarrow Freight after the "
    "Eastvale warehouse fire, a spokeswoman for the regional prosecutor's office confirmed on "
    "Sunday. Detectives seized maintenance logs and payroll records from the company's head "
    "office on Saturday. Lawyers for the firm said it would cooperate fully. The worker who "
    "had been treated in intensive care at Rosmouth General Hospital was discharged on "
    "Friday, relatives said. Fire chief Ilse Marchetti is expected to present the findings of "
    "her investigation to the city council next month."
)

HOSPITAL_BUDGET = (
    "The board of Rosmouth General Hospital approved a budget on Tuesday that cuts forty "
    "administrative posts and delays a new maternity ward by two years. Board members said "
    "rising energy bills and the cost of agency nurses had left a gap of several million "
    "pounds. Staff representatives criticised the decision, arguing that the cuts would "
    "shift paperwork onto doctors. The hospital's chief executive said no clinical jobs "
    "would go and that waiting times would be protected."
)
