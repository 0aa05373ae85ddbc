"""Word lists of the synthetic extracts: names, countries, quarters, streets, jobs.

Everything here is invented or generic; no list describes a real person. Every string
is encodable in Windows-1252, because the population register is exported in it.
Lists are written as comma-separated text (`Name=weight` where a weight is needed) so
that a few hundred words stay readable; the helpers below turn them into tuples.
"""

from dataclasses import dataclass
from types import MappingProxyType


def _split(text: str) -> tuple[str, ...]:
    """Split comma-separated words, dropping blanks and surrounding spaces."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


def _weights(words: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """Turn `word=weight` items into (word, weight) pairs."""
    pairs = (item.rsplit("=", 1) for item in words)
    return tuple((word.strip(), int(weight)) for word, weight in pairs)


def _weighted(text: str) -> tuple[tuple[str, int], ...]:
    """Split `word=weight, word=weight` into (word, weight) pairs."""
    return _weights(_split(text))


def _table(text: str) -> dict[str, tuple[str, ...]]:
    """Read `key: word, word` lines into a dict; a repeated key continues its list."""
    lists: dict[str, list[str]] = {}
    for line in text.strip().splitlines():
        key, words = line.split(":", 1)
        lists.setdefault(key.strip(), []).extend(_split(words))
    return {key: tuple(words) for key, words in lists.items()}


@dataclass(frozen=True)
class NameGroup:
    """Surnames and first names of one language or origin group."""

    surnames: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]


@dataclass(frozen=True)
class Country:
    """A nationality as the register spells it, its weight among foreigners, names."""

    name: str
    weight: int
    group: str


@dataclass(frozen=True)
class Quarter:
    """A city quarter: postal code, relative size, share of foreigners, streets."""

    name: str
    plz: str
    size: int
    foreign_factor: float
    streets: tuple[str, ...]


@dataclass(frozen=True)
class Department:
    """An administrative department: headcount and its job titles with weights."""

    name: str
    size: int
    titles: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Profession:
    """An apprenticeship (Lehrberuf), its weight and the departments that train it."""

    name: str
    weight: int
    departments: tuple[str, ...]


SWISS = "Schweiz"

_NAME_TABLE = """
ch surnames: Müller, Meier, Bühler, Zürcher, Schmid, Keller, Huber, Brunner, Wicki
ch surnames: Bucher, Portmann, Felder, Stadelmann, Amrein, Bachmann, Zemp, Fischer
ch surnames: Kaufmann, Lustenberger, Achermann, Zihlmann, Schürmann, Hofstetter
ch surnames: Emmenegger, Kunz, Birrer, Hodel, Bühlmann, Steiner, Graf, Arnold, Imhof
ch surnames: Studer, Koch, Roos, Schnyder, Marti, Suter, Widmer, Gisler, Kälin, Wyss
ch surnames: Baumann, Frei, Moser, Gerber, Lötscher, Estermann, Fuchs, Wüest, Troxler
ch surnames: Häfliger, Bründler, Egli, Zimmermann, Vogel, Blum, Rüttimann, Küng, Schärli
ch surnames: Rölli, Bösch, Hürlimann, Odermatt, Renggli, Zurkirchen, von Matt
ch male: Lukas, Simon, David, Marco, Daniel, Thomas, Andreas, Stefan, Peter, Martin
ch male: Beat, Urs, Josef, Hans, Reto, Patrick, Michael, Christian, Markus, Fabian
ch male: Jonas, Nico, Luca, Noah, Elias, Leon, Levin, Matthias, Roland, Bruno, Walter
ch male: Kurt, Werner, Alois, Franz, Pius, Adrian, Samuel, Benjamin, Raphael, Noël, Rémy
ch female: Anna, Laura, Sarah, Lea, Julia, Nina, Sandra, Andrea, Nicole, Claudia
ch female: Barbara, Monika, Ruth, Verena, Margrit, Heidi, Rosmarie, Silvia, Ursula
ch female: Priska, Lisa, Mia, Emma, Lina, Elena, Sophie, Alina, Chiara, Jana, Noemi
ch female: Corinne, Daniela, Franziska, Brigitte, Theres, Gabriela, Martina, Rahel, Zoé
ch female: Anaïs
de surnames: Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Schäfer
de surnames: Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Braun, Krüger, Hartmann
de surnames: Lange, Werner, Krause, Lehmann, Köhler, Maier, Gruber, Pichler
de male: Maximilian, Alexander, Paul, Felix, Jan, Tobias, Florian, Sebastian, Philipp
de male: Jürgen, Uwe, Dirk, Jörg, Moritz, Finn, Lukas
de female: Katharina, Anja, Stefanie, Susanne, Birgit, Kerstin, Johanna, Charlotte
de female: Hannah, Marie, Lena, Jessica, Sabine, Ute, Jana
it surnames: Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino
it surnames: Greco, Bruno, Gallo, Conti, De Luca, Mancini, Costa, Giordano, Rizzo
it surnames: Lombardi, Moretti, Barbieri, Fontana, Caruso, Santoro, Di Stefano
it male: Giuseppe, Antonio, Marco, Luca, Giovanni, Francesco, Alessandro, Andrea, Matteo
it male: Salvatore, Mario, Paolo, Davide, Lorenzo, Niccolò
it female: Maria, Giulia, Francesca, Chiara, Sara, Anna, Valentina, Alessia, Martina
it female: Rosa, Giovanna, Elisa, Federica, Paola
pt surnames: Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins
pt surnames: Jesus, Sousa, Fernandes, Gonçalves, Gomes, Lopes, Marques, Alves, Almeida
pt surnames: Ribeiro, Pinto, Carvalho, Teixeira, Moreira, Correia, Mendes, Simões
pt surnames: Conceição, dos Santos, da Silva
pt male: João, José, António, Rui, Paulo, Pedro, Tiago, Bruno, Ricardo, Diogo, Gonçalo
pt male: Rafael, Miguel, Tomás, Nuno
pt female: Ana, Maria, Sofia, Beatriz, Inês, Mariana, Catarina, Joana, Rita, Sónia
pt female: Fernanda, Leonor, Carla, Patrícia
es surnames: García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez
es surnames: Gómez, Martín, Jiménez, Ruiz, Hernández, Díaz, Moreno, Álvarez, Romero
es surnames: Navarro, Torres, Vargas
es male: Carlos, Javier, Alejandro, Manuel, Jorge, Alberto, Sergio, Pablo, Diego, Andrés
es male: Iván, Juan
es female: Carmen, Lucía, Isabel, Laura, Cristina, Marta, Elena, Pilar, Rocío, Paula
es female: Valeria, Camila
sq surnames: Krasniqi, Berisha, Gashi, Morina, Shala, Hoxha, Bytyqi, Kastrati, Rexhepi
sq surnames: Ahmeti, Gjergji, Hajdari, Kelmendi, Hasani, Mustafa, Shehu, Aliu, Ismaili
sq surnames: Sadiku, Zeqiri, Jashari, Musliu, Bajrami, Osmani
sq male: Arben, Besnik, Driton, Fatmir, Agron, Valon, Blerim, Ilir, Granit, Leutrim
sq male: Dardan, Arlind, Egzon, Liridon, Shkëlzen, Bekim
sq female: Albina, Blerta, Drita, Fjolla, Shqipe, Vjosa, Teuta, Arta, Donika, Mimoza
sq female: Elira, Lirije, Besarta, Valbona, Jehona, Ardiana
bks surnames: Petrovic, Jovanovic, Nikolic, Markovic, Djordjevic, Stojanovic, Ilic
bks surnames: Pavlovic, Popovic, Kovacevic, Babic, Hodzic, Mehmedovic, Hadzic, Begic
bks surnames: Horvat, Novak, Knezevic, Tomic, Lukic, Vukovic, Simic, Radovanovic
bks male: Milan, Dragan, Nenad, Stefan, Nikola, Marko, Dejan, Zoran, Goran, Aleksandar
bks male: Emir, Amir, Haris, Ivan, Luka, Dusan
bks female: Jelena, Milica, Ivana, Marija, Ana, Dragana, Snezana, Tijana, Amra, Lejla
bks female: Selma, Mirela, Vesna, Sanja, Katarina
tr surnames: Yilmaz, Kaya, Demir, Sahin, Çelik, Yildiz, Yildirim, Öztürk, Aydin, Özdemir
tr surnames: Arslan, Dogan, Kiliç, Aslan, Çetin, Kara, Koç, Kurt, Özkan, Simsek, Polat
tr surnames: Korkmaz
tr male: Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, Ibrahim, Emre, Burak, Murat, Yusuf
tr male: Ömer, Kemal, Serkan, Can
tr female: Ayse, Fatma, Emine, Hatice, Zeynep, Elif, Merve, Özlem, Esra, Derya, Gül
tr female: Sevgi, Büsra, Selin
ti surnames: Tesfay, Ghebremariam, Haile, Kidane, Tekle, Berhane, Woldemichael, Habte
ti surnames: Gebremedhin, Yohannes, Mehari, Negash, Abraha, Tesfamariam, Andemariam
ti surnames: Asfaha, Weldu, Kahsay
ti male: Yonas, Dawit, Samuel, Filmon, Aron, Robel, Mussie, Tesfaldet, Henok, Biniam
ti male: Efrem, Semere, Amanuel, Daniel
ti female: Senait, Helen, Selam, Rahwa, Winta, Saba, Lidya, Eden, Feven, Mebrat
ti female: Yordanos, Luwam, Hiwet, Ruta
ta surnames: Sivakumar, Thavarajah, Kandiah, Rajendran, Selvarajah, Nadarajah
ta surnames: Kanagaratnam, Sinnathamby, Balasingam, Ponnambalam, Vijayakumar
ta surnames: Arulanantham, Kumar, Sharma, Patel, Singh, Iyer, Reddy
ta male: Tharsan, Kajan, Niroshan, Prakash, Suresh, Ramesh, Vithusan, Sajeevan, Arun
ta male: Rahul, Vikram, Thusan, Keerthanan
ta female: Tharsika, Nirosha, Kavitha, Priya, Lakshmi, Sharmila, Thivya, Anusha, Meera
ta female: Divya, Abinaya, Kajani
ar surnames: Ahmadi, Hosseini, Rahimi, Haddad, Al-Hassan, Mohammadi, Karimi, Sultani
ar surnames: Nazari, Haidari, Yousef, Khalil, Ibrahim, Mansour, Saleh, Hamdan, El Amrani
ar surnames: Benali, Bouzid, Mahmoud, Hussein, Abdi, Warsame, Farah, Khan, Qureshi
ar surnames: Rahman
ar male: Mohammed, Ahmad, Omar, Ali, Hamid, Karim, Yusuf, Mahmoud, Reza, Hassan, Said
ar male: Youssef, Abdullah, Farid, Sami, Tarek
ar female: Fatima, Aisha, Mariam, Leila, Zahra, Nour, Amina, Rana, Samira, Yasmin, Hana
ar female: Laila, Salma, Soraya, Farah
fr surnames: Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy
fr surnames: Moreau, Simon, Laurent, Lefèvre, Michel, Fournier, Girard, Bonnet, Dupont
fr surnames: Lambert, Rousseau, Mercier, Blanc, Guérin, Faure, Boyer
fr male: Pierre, Jean, Nicolas, Julien, Mathieu, Antoine, Guillaume, Noël, Étienne
fr male: François, Olivier, Hugo, Louis, Théo
fr female: Camille, Manon, Chloé, Céline, Élodie, Amélie, Isabelle, Nathalie, Sophie
fr female: Léa, Margaux, Aurélie, Mathilde, Hélène
en surnames: Smith, Jones, Williams, Brown, Taylor, Davies, Wilson, Evans, Johnson
en surnames: Miller, Thompson, Walker, Wright, Robinson, O'Brien, Murphy, Kelly, Okafor
en surnames: Mensah, Adeyemi, Anderson, Clarke
en male: James, John, Oliver, George, Harry, William, Michael, Ryan, Liam, Connor
en male: Chinedu, Kwame, Ethan, Daniel
en female: Emily, Olivia, Jessica, Sarah, Charlotte, Grace, Emma, Hannah, Megan, Chloe
en female: Ngozi, Abena, Siobhan, Rachel
ost surnames: Nowak, Kowalski, Wisniewski, Lewandowski, Novák, Svoboda, Dvorak, Horváth
ost surnames: Nagy, Tóth, Kovács, Szabó, Popescu, Ionescu, Popa, Dimitrov, Petrov
ost surnames: Ivanov, Smirnov, Kovalenko, Shevchenko, Bondarenko, Melnyk, Kazlauskas
ost surnames: Berzins
ost male: Piotr, Tomasz, Jakub, Pavel, Andrei, Dmitri, Oleksandr, Mykola, Ivan, Gábor
ost male: László, Bogdan, Mihai, Krzysztof, Jonas
ost female: Anna, Katarzyna, Agnieszka, Petra, Lucie, Olga, Natalia, Oksana, Iryna
ost female: Yulia, Zsófia, Eszter, Ioana, Elena, Magdalena
asia surnames: Wang, Li, Zhang, Liu, Chen, Yang, Huang, Nguyen, Tran, Le, Pham, Reyes
asia surnames: Cruz, Bautista, Dela Cruz, Sato, Suzuki, Tanaka, Kim, Park, Lee, Srisuk
asia male: Wei, Jun, Hao, Minh, Tuan, Duc, Hiroshi, Kenji, Takumi, Min-jun, Somchai
asia male: Jose, Mark
asia female: Mei, Xiu, Ling, Yan, Thi Lan, Huong, Linh, Yuki, Aiko, Sakura, Ji-woo
asia female: Malee, Maricel
nord surnames: de Jong, Jansen, de Vries, van den Berg, Bakker, Visser, Smit, Andersson
nord surnames: Johansson, Karlsson, Nilsson, Hansen, Jensen, Nielsen, Larsen, Korhonen
nord surnames: Virtanen
nord male: Daan, Sem, Lars, Erik, Anders, Mikkel, Jesper, Mats, Sven, Juha, Niels
nord female: Sanne, Fleur, Emma, Ingrid, Freja, Astrid, Sofie, Maja, Aino, Linnea, Elin
"""
"""`<group> surnames|male|female: names` (a list may take several lines)."""


def _name_groups(table: str) -> MappingProxyType[str, NameGroup]:
    """Build the name groups of `_NAME_TABLE`, in the order they first appear."""
    lists = _table(table)
    groups = dict.fromkeys(key.split()[0] for key in lists)
    return MappingProxyType(
        {
            group: NameGroup(
                lists[f"{group} surnames"],
                lists[f"{group} male"],
                lists[f"{group} female"],
            )
            for group in groups
        }
    )


NAME_GROUPS = _name_groups(_NAME_TABLE)
"""Name lists by origin group; a country's `group` picks one."""

SWISS_NAME_GROUPS = _weighted("ch=840, it=50, de=25, sq=25, bks=20, pt=10, tr=10, es=8, ta=6, fr=6")
"""Origin groups of Swiss citizens' names (naturalised families included)."""


def _countries(text: str) -> tuple[Country, ...]:
    """Parse `Name=weight=group, ...` into countries."""
    parts = (item.split("=") for item in _split(text))
    return tuple(Country(name, int(weight), group) for name, weight, group in parts)


FOREIGN_COUNTRIES = _countries(
    "Deutschland=140=de, Portugal=90=pt, Italien=85=it, Kosovo=60=sq, Spanien=40=es, "
    "Eritrea=40=ti, Serbien=35=bks, Afghanistan=32=ar, Türkei=30=tr, "
    "Nordmazedonien=30=sq, Österreich=30=de, Sri Lanka=28=ta, Syrien=28=ar, "
    "Frankreich=28=fr, Ukraine=25=ost, Bosnien und Herzegowina=22=bks, "
    "Kroatien=20=bks, Vereinigtes Königreich=18=en, Polen=14=ost, Rumänien=12=ost, "
    "Brasilien=12=pt, Indien=12=ta, Ungarn=10=ost, Slowakei=10=ost, "
    "Niederlande=10=nord, Vereinigte Staaten=10=en, China=10=asia, Iran=10=ar, "
    "Irak=10=ar, Bulgarien=8=ost, Somalia=8=ar, Äthiopien=8=ti, Russland=8=ost, "
    "Tschechien=7=ost, Thailand=7=asia, Philippinen=7=asia, Albanien=7=sq, "
    "Vietnam=6=asia, Kolumbien=6=es, Dominikanische Republik=6=es, Marokko=6=ar, "
    "Tunesien=6=ar, Belgien=5=fr, Schweden=4=nord, Kanada=4=en, Peru=4=es, "
    "Ecuador=4=es, Nigeria=4=en, Kamerun=4=fr, Angola=4=pt, Montenegro=4=bks, "
    "Pakistan=4=ar, Japan=3=asia, Kuba=3=es, Slowenien=3=bks, Dänemark=3=nord, "
    "Irland=3=en, Chile=3=es, Argentinien=3=es, Mexiko=3=es, Libanon=3=ar, "
    "Ägypten=3=ar, Algerien=3=ar, Litauen=2=ost, Lettland=2=ost, Finnland=2=nord, "
    "Norwegen=2=nord, Bangladesch=2=ar, Togo=2=fr, Ghana=2=en, Südkorea=2=asia"
)
"""Foreign nationalities, most frequent first, with their weight among foreigners."""

_QUARTER_TABLE = """
Altstadt           | 6004 |  600 | 1.0
Wey                | 6004 | 2300 | 1.0
Hochwacht          | 6006 | 2400 | 0.8
Zürichstrasse      | 6004 | 3100 | 1.1
Maihof             | 6006 | 3900 | 0.9
Rotsee             | 6004 |  350 | 0.6
Wesemlin           | 6006 | 3300 | 0.7
Dreilinden         | 6006 | 1600 | 0.6
Halde              | 6006 | 2000 | 0.6
Würzenbach         | 6006 | 3600 | 0.6
Schädrüti          | 6006 | 2500 | 0.7
Matthof            | 6005 | 2200 | 0.9
Tribschen          | 6005 | 3800 | 1.0
Langensand         | 6005 | 2900 | 0.9
Hirschmatt         | 6003 | 3000 | 1.3
Neustadt           | 6003 | 4700 | 1.1
Obergrund          | 6005 | 4200 | 1.1
Säli               | 6003 | 3300 | 1.2
Sternmatt          | 6005 | 2300 | 1.1
Bruch              | 6003 | 2700 | 1.3
Gütsch             | 6003 | 2100 | 1.0
Basel-/Bernstrasse | 6004 | 3400 | 2.2
St. Karli          | 6004 | 3100 | 1.2
Reussbühl          | 6015 | 4900 | 1.4
Littau Dorf        | 6014 | 6000 | 1.1
Ruopigen           | 6015 | 5100 | 1.3
Fluhmühle          | 6015 | 2600 | 1.5
Udelboden          | 6014 |  450 | 1.0
"""
"""Quarter | postal code | relative size | factor on the share of foreigners."""

_STREET_TABLE = """
Altstadt: Weinmarkt, Kornmarkt, Kapellgasse, Eisengasse, Weggisgasse
Wey: Löwenstrasse, Museggstrasse, Weystrasse, Alpenstrasse, Hofstrasse
Hochwacht: Hochwachtstrasse, Abendweg, Rigistrasse, Adligenswilerstrasse
Zürichstrasse: Zürichstrasse, Friedenstrasse, Brambergstrasse, Sagenmattstrasse
Maihof: Maihofstrasse, Weggismattstrasse, Fluhmattstrasse, Sedelstrasse
Maihof: Kreuzbuchstrasse
Rotsee: Rotseestrasse, Ibachstrasse, Sedelhofweg
Wesemlin: Wesemlinstrasse, Kapuzinerweg, Wesemlinrain, Felsbergstrasse
Dreilinden: Dreilindenstrasse, Gesegnetmattstrasse, Salesianumweg
Halde: Haldenstrasse, Bellerivestrasse, Lützelmattstrasse, Haldenring
Würzenbach: Würzenbachstrasse, Seeburgstrasse, Büttenenhalde, Hirtenhofstrasse
Schädrüti: Schädrütistrasse, Oberseeburghöhe, Wartensteinweg
Matthof: Matthofstrasse, Matthofring, Kellerstrasse, Brunnmattstrasse
Tribschen: Tribschenstrasse, Werkhofstrasse, Landenbergstrasse, Weinberglistrasse
Tribschen: Alpenquai
Langensand: Langensandstrasse, Bürgenstrasse, Schönbühlstrasse, Eichwaldstrasse
Hirschmatt: Hirschmattstrasse, Pilatusstrasse, Zentralstrasse, Frankenstrasse
Hirschmatt: Murbacherstrasse
Neustadt: Neustadtstrasse, Bundesstrasse, Winkelriedstrasse, Moosstrasse
Neustadt: Habsburgerstrasse, Sempacherstrasse
Obergrund: Obergrundstrasse, Mühlemattstrasse, Hallwilerweg, Steinhofstrasse
Obergrund: Horwerstrasse
Säli: Sälistrasse, Bruchmattstrasse, Hubelmattstrasse, Moosmattstrasse
Sternmatt: Sternmattstrasse, Kleinmattstrasse, Eichmattstrasse, Rösslimattstrasse
Bruch: Bruchstrasse, Gibraltarstrasse, Klosterstrasse, Taubenhausstrasse
Gütsch: Gütschweg, Gütschhöhe, Gütschwaldweg, Lädelistrasse
Basel-/Bernstrasse: Baselstrasse, Bernstrasse, Sentimattstrasse, Dammstrasse
Basel-/Bernstrasse: Voltastrasse
St. Karli: St. Karli-Strasse, Spitalstrasse, Geissmattstrasse, Friedentalstrasse
St. Karli: St. Karliquai
Reussbühl: Hauptstrasse, Reussbühlstrasse, Grossmatte, Staldenhöhe, Sagenhalde
Littau Dorf: Luzernerstrasse, Dorfstrasse, Gasshofstrasse, Thorenbergstrasse
Littau Dorf: Littauerboden
Ruopigen: Ruopigenring, Ruopigenstrasse, Ruopigenmoos, Bodenhofstrasse
Fluhmühle: Fluhmühlerain, Fluhmühleweg, Rengglochstrasse
Udelboden: Udelbodenstrasse, Udelbodenrain, Udelbodenweg
"""
"""Quarter: streets (a quarter may take several lines); no street is in two quarters."""


def _quarters(table: str, streets: str) -> tuple[Quarter, ...]:
    """Join the quarter table with its streets, keeping the table order."""
    by_quarter = _table(streets)
    rows = ([cell.strip() for cell in line.split("|")] for line in table.strip().splitlines())
    return tuple(
        Quarter(name, plz, int(size), float(factor), by_quarter[name])
        for name, plz, size, factor in rows
    )


QUARTER_PLACES = _quarters(_QUARTER_TABLE, _STREET_TABLE)
"""Quarters in `facts.QUARTERS` order; `size` weights residents."""

SCHOOL_DEPARTMENT = "Bildungsdirektion"
"""The department of every Volksschule employee."""

_TITLE_TABLE = """
Volksschule: Lehrperson Kindergarten=110, Lehrperson Primarstufe=330
Volksschule: Lehrperson Sekundarstufe I=150, Schulische/r Heilpädagoge/in=80
Volksschule: Fachlehrperson Deutsch als Zweitsprache=40
Volksschule: Fachlehrperson Textiles und Technisches Gestalten=30
Volksschule: Fachlehrperson Musik=20, Fachlehrperson Sport=20, Schulleiter/in=20
Volksschule: Klassenassistenz=40, Betreuer/in Tagesstrukturen=70
Volksschule: Leiter/in Tagesstrukturen=15, Schulsozialarbeiter/in=12
Volksschule: Logopäde/Logopädin=12, Psychomotoriktherapeut/in=6, Schulsekretär/in=15
Volksschule: Lehrperson Integrative Förderung=30
Bildungsdirektion: Direktionssekretär/in Bildung=2, Rektor/in Volksschule=1
Bildungsdirektion: Sachbearbeiter/in Schuladministration=20
Bildungsdirektion: Fachspezialist/in Schulraumplanung=4, Leiter/in Musikschule=1
Bildungsdirektion: Musiklehrperson Musikschule=60, Sachbearbeiter/in Kultur und Sport=8
Bildungsdirektion: Projektleiter/in Kultur=4, Sportanlagenwart/in=15
Bildungsdirektion: Fachperson Schulgesundheit=6, Leiter/in Kinderbetreuung=3
Bildungsdirektion: Fachperson Betreuung Kita=40
Bildungsdirektion: Sachbearbeiter/in Betreuungsgutscheine=5
Finanzdirektion: Leiter/in Finanzverwaltung=1, Finanzcontroller/in=6, Buchhalter/in=12
Finanzdirektion: Sachbearbeiter/in Steuern=40, Steuerkommissär/in=15
Finanzdirektion: Sachbearbeiter/in Debitorenbuchhaltung=8
Finanzdirektion: Personalfachfrau/Personalfachmann=10, HR-Business-Partner/in=5
Finanzdirektion: Lohnbuchhalter/in=5, ICT-Systemtechniker/in=15
Finanzdirektion: Applikationsverantwortliche/r=10, ICT-Supporter/in=12
Finanzdirektion: Immobilienbewirtschafter/in=8, Hauswart/in=40
Finanzdirektion: Reinigungsmitarbeiter/in=40, Datenanalyst/in=4
Sozial- und Sicherheitsdirektion: Sozialarbeiter/in=90
Sozial- und Sicherheitsdirektion: Sozialpädagoge/Sozialpädagogin=40
Sozial- und Sicherheitsdirektion: Sachbearbeiter/in Sozialversicherungen=40
Sozial- und Sicherheitsdirektion: Sachbearbeiter/in wirtschaftliche Sozialhilfe=50
Sozial- und Sicherheitsdirektion: Berufsbeistand/Berufsbeiständin=30
Sozial- und Sicherheitsdirektion: Sachbearbeiter/in Einwohnerdienste=35
Sozial- und Sicherheitsdirektion: Sachbearbeiter/in Einbürgerungen=10
Sozial- und Sicherheitsdirektion: Mitarbeiter/in Sicherheit Intervention Prävention=20
Sozial- und Sicherheitsdirektion: Angehörige/r Berufsfeuerwehr=45
Sozial- und Sicherheitsdirektion: Pflegefachfrau/Pflegefachmann HF=40
Sozial- und Sicherheitsdirektion: Fachfrau/Fachmann Gesundheit=35, Jugendarbeiter/in=12
Sozial- und Sicherheitsdirektion: Quartierarbeiter/in=8
Sozial- und Sicherheitsdirektion: Fachperson Kindes- und Erwachsenenschutz=15
Sozial- und Sicherheitsdirektion: Leiter/in Sozialdienste=3
Sozial- und Sicherheitsdirektion: Sachbearbeiter/in Gewerbepolizei=8, Koch/Köchin=15
Sozial- und Sicherheitsdirektion: Fachperson Integration=4
Umwelt- und Mobilitätsdirektion: Projektleiter/in Verkehrsplanung=8
Umwelt- und Mobilitätsdirektion: Mobilitätsplaner/in=6, Fachspezialist/in Umweltschutz=8
Umwelt- und Mobilitätsdirektion: Energieberater/in=4, Gärtner/in Stadtgrün=50
Umwelt- und Mobilitätsdirektion: Baumpfleger/in=12, Förster/in=3, Forstwart/in=12
Umwelt- und Mobilitätsdirektion: Strassenbauer/in=40
Umwelt- und Mobilitätsdirektion: Mitarbeiter/in Strasseninspektorat=20
Umwelt- und Mobilitätsdirektion: Mitarbeiter/in Strassenreinigung=60
Umwelt- und Mobilitätsdirektion: Chauffeur/in Entsorgung=35, Mechaniker/in Werkhof=12
Umwelt- und Mobilitätsdirektion: Sachbearbeiter/in Parkraumbewirtschaftung=10
Umwelt- und Mobilitätsdirektion: Leiter/in Stadtgrün=1
Umwelt- und Mobilitätsdirektion: Projektleiter/in Klima und Energie=4
Umwelt- und Mobilitätsdirektion: Logistiker/in Werkhof=10
Baudirektion: Projektleiter/in Hochbau=30, Projektleiter/in Tiefbau=25
Baudirektion: Bauingenieur/in=15, Architekt/in=15, Stadtplaner/in=12
Baudirektion: Sachbearbeiter/in Baubewilligungen=20, Baukontrolleur/in=12
Baudirektion: Zeichner/in Fachrichtung Architektur=12, Geomatiker/in=10
Baudirektion: Vermessungsingenieur/in=6, Fachspezialist/in Gebäudetechnik=10
Baudirektion: Sachbearbeiter/in Bauverwaltung=15, Bauleiter/in=15
Baudirektion: Fachperson Siedlungsentwässerung=8, Leiter/in Stadtplanung=1
Stadtkanzlei: Stadtschreiber/in=1, Vizestadtschreiber/in=1, Jurist/in=12
Stadtkanzlei: Kommunikationsverantwortliche/r=12, Webpublisher/in=8, Archivar/in=8
Stadtkanzlei: Sachbearbeiter/in Stadtkanzlei=25, Stadtweibel/in=3
Stadtkanzlei: Fachspezialist/in Statistik=8, Datenschutzbeauftragte/r=2
Stadtkanzlei: Assistent/in Stadtrat=8, Sachbearbeiter/in Parlamentsdienste=6
Stadtkanzlei: Fachspezialist/in Open Government Data=3, Mediamatiker/in=6, Grafiker/in=4
"""
"""`<Volksschule or department>: title=weight, ...` (a list may take several lines)."""

_TITLES = MappingProxyType({key: _weights(words) for key, words in _table(_TITLE_TABLE).items()})

SCHOOL_TITLES = _TITLES["Volksschule"]
"""Job titles in the Volksschule, with weights."""

DEPARTMENTS = tuple(
    Department(name, size, _TITLES[name])
    for name, size in _weighted(
        "Bildungsdirektion=230, Finanzdirektion=250, "
        "Sozial- und Sicherheitsdirektion=520, Umwelt- und Mobilitätsdirektion=340, "
        "Baudirektion=230, Stadtkanzlei=130"
    )
)
"""Verwaltung departments: headcount (summing to the Verwaltung total) and titles."""

PROFESSIONS = (
    Profession("Kauffrau/Kaufmann EFZ", 12, tuple(d.name for d in DEPARTMENTS)),
    Profession("Informatiker/in EFZ", 3, ("Finanzdirektion",)),
    Profession(
        "Fachfrau/Fachmann Betreuung EFZ",
        3,
        ("Bildungsdirektion", "Sozial- und Sicherheitsdirektion"),
    ),
    Profession("Gärtner/in EFZ", 2, ("Umwelt- und Mobilitätsdirektion",)),
    Profession(
        "Fachmann/Fachfrau Betriebsunterhalt EFZ",
        1,
        ("Finanzdirektion", "Bildungsdirektion"),
    ),
    Profession("Mediamatiker/in EFZ", 1, ("Stadtkanzlei",)),
    Profession("Koch/Köchin EFZ", 0, ("Sozial- und Sicherheitsdirektion",)),
    Profession("Zeichner/in EFZ", 0, ("Baudirektion",)),
    Profession("Forstwart/in EFZ", 0, ("Umwelt- und Mobilitätsdirektion",)),
    Profession("Strassenbauer/in EFZ", 0, ("Umwelt- und Mobilitätsdirektion",)),
    Profession("Fachfrau/Fachmann Gesundheit EFZ", 2, ("Sozial- und Sicherheitsdirektion",)),
    Profession("Logistiker/in EFZ", 1, ("Umwelt- und Mobilitätsdirektion",)),
    Profession("Entwickler/in digitales Business EFZ", 0, ("Finanzdirektion", "Stadtkanzlei")),
)
"""Apprenticeships; `weight` shares out the apprentices beyond the minimum each."""
