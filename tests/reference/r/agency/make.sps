* Builds agency.sav (bytecode-compressed) from data.csv with GNU PSPP (tested: 1.6.2), as an agency
* delivers its file: no VARIABLE LEVEL, so every numeric variable is measured on a Scale (PSPP's
* default after GET DATA), value labels on wijk, gesl_stpr, veilig and the kanaal items, user-missing
* codes, the weight variable set. File names are relative: run from this directory,
*   cd tests/reference/r/agency && pspp make.sps
* data.csv is Windows-1252 with ';' and decimal commas (SET DECIMAL=COMMA reads 0,991971).

SET LOCALE='UTF-8'.
SET DECIMAL=COMMA.
GET DATA
  /TYPE=TXT
  /FILE='data.csv'
  /ENCODING='windows-1252'
  /ARRANGEMENT=DELIMITED
  /DELCASE=LINE
  /FIRSTCASE=2
  /DELIMITERS=";"
  /QUALIFIER='"'
  /VARIABLES=respnr F5.0
             wijk F1.0
             buurt F3.0
             gesl_stpr F1.0
             leeftijd F3.0
             weegfactor F9.6
             tevr_woonomg F2.0
             veilig F2.0
             kanaal_tel F1.0
             kanaal_mail F1.0
             kanaal_web F1.0
             gebruik A12
             opmerking A60
             datum A10.
FILE LABEL 'Inwonersenquête 2026 (bureau-levering)'.
VARIABLE LABELS
  respnr 'Respondentnummer'
  /wijk 'Wijk'
  /buurt 'Buurt'
  /gesl_stpr 'Geslacht (steekproefkader)'
  /leeftijd 'Leeftijd'
  /weegfactor 'Weegfactor'
  /tevr_woonomg 'Rapportcijfer woonomgeving'
  /veilig 'Hoe veilig voelt u zich in uw buurt?'
  /kanaal_tel 'Contact: telefoon'
  /kanaal_mail 'Contact: e-mail'
  /kanaal_web 'Contact: website'
  /gebruik 'Hoe vaak gebruikte u de wijkapp?'
  /opmerking 'Opmerkingen'
  /datum 'Datum ingevuld'.
VALUE LABELS
  /wijk 1 'Binnenstad' 2 'Oost' 3 'Zuidoost' 4 'Zuid' 5 'West' 6 'Noordwest' 7 'Noord' 8 'Buitengebied'
  /gesl_stpr 1 'Man' 2 'Vrouw' 9 'Onbekend'
  /leeftijd 999 'Weigert'
  /tevr_woonomg 99 'Weet niet'
  /veilig 1 'Zeer onveilig' 2 'Onveilig' 3 'Neutraal' 4 'Veilig' 5 'Zeer veilig' 99 'Weet niet'
  /kanaal_tel kanaal_mail kanaal_web 0 'Niet genoemd' 1 'Genoemd'.
MISSING VALUES gesl_stpr (9) /leeftijd (999) /tevr_woonomg (99) /veilig (99).
WEIGHT BY weegfactor.
SAVE OUTFILE='agency.sav' /COMPRESSED.
