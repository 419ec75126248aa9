DROP TABLE templates;
DROP TABLE patients;
DROP TABLE campaigns;
DROP TABLE practices;
