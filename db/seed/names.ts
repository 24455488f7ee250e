// French names, streets and neighbouring towns for the demo town. Accents are on
// purpose: search must find "Bécassines" from "becassine", "Lefèvre" from "lefevre".

// prettier-ignore
export const SURNAMES: readonly string[] = [
  'Bécassines', 'Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois',
  'Moreau', 'Laurent', 'Simon', 'Michel', 'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel',
  'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller',
  'Lefèbvre', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier',
  'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas',
  'Henry', 'Roussel', 'Mathieu', 'Gautier', 'Masson', 'Marchand', 'Duval', 'Denis', 'Dumont',
  'Marie', 'Lemaire', 'Noël', 'Meyer', 'Dufour', 'Meunier', 'Brun', 'Blanchard', 'Giraud', 'Joly',
  'Rivière', 'Lucas', 'Brunet', 'Gaillard', 'Barbier', 'Arnaud', 'Martínez', 'Gérard', 'Roche',
  'Renard', 'Schmitt', 'Roy', 'Leroux', 'Colin', 'Vidal', 'Caron', 'Picard', 'Roger', 'Fabre',
  'Aubert', 'Lemoine', 'Renaud', 'Dumas', 'Lacroix', 'Olivier', 'Philippe', 'Bourgeois', 'Pierre',
  'Benoît', 'Rey', 'Leclerc', 'Payet', 'Rolland', 'Leclercq', 'Guillaume', 'Lecomte', 'López',
  'Jean', 'Dupuy', 'Guillot', 'Hubert', 'Berger', 'Carpentier', 'Sánchez', 'Dupuis', 'Moulin',
  'Louis', 'Deschamps', 'Huet', 'Vasseur', 'Perez', 'Boucher', 'Fleury', 'Royer', 'Klein',
  'Jacquet', 'Adam', 'Paris', 'Poirier', 'Marty', 'Aubry', 'Guyot', 'Carré', 'Charles', 'Renault',
  'Charpentier', 'Ménard', 'Maillard', 'Baron', 'Bertin', 'Bailly', 'Hervé', 'Schneider',
  'Fernández', 'Le Gall', 'Collet', 'Léger', 'Bouvier', 'Julien', 'Prévost', 'Millet', 'Perrot',
  'Daniel', 'Le Roux', 'Cousin', 'Germain', 'Breton', 'Besson', 'Langlois', 'Rémy', 'Le Goff',
  'Pelletier', 'Lévêque', 'Perrier', 'Leblanc', 'Barré', 'Lebrun', 'Marchal', 'Weber', 'Mallet',
  'Hamon', 'Boulanger', 'Jacob', 'Monnier', 'Michaud', 'Rodriguez', 'Guichard', 'Gillet', 'Étienne',
  'Grondin', 'Poulain', 'Tessier', 'Chevallier', 'Collin', 'Chauvin', 'Da Silva', 'Bouchet', 'Gay',
  'Lemaître', 'Benard', 'Maréchal', 'Humbert', 'Reynaud', 'Antoine', 'Hoarau', 'Perret', 'Barthélemy',
  'Cordier', 'Pichon', 'Lejeune', 'Gilbert', 'Lamy', 'Delaunay', 'Pasquier', 'Carlier', 'Laporte',
  'Bénard', 'Hébert', 'Kouassi', 'Diallo', 'Nguyen', 'Traoré', 'Benali', 'Haddad', 'Yilmaz',
  'Ferreira', 'Æbischer', 'Lœillet', 'Béranger', 'Castaño', 'Dœuvre', 'Öztürk', "N'Diaye", "D'Almeida",
];

// prettier-ignore
export const ADULT_FEMALE: readonly string[] = [
  'Hélène', 'Mégane', 'Chloé', 'Élodie', 'Céline', 'Aurélie', 'Émilie', 'Stéphanie', 'Nathalie',
  'Sandrine', 'Sophie', 'Julie', 'Laure', 'Anaïs', 'Amélie', 'Marion', 'Camille', 'Pauline',
  'Caroline', 'Virginie', 'Séverine', 'Valérie', 'Karine', 'Mélanie', 'Delphine', 'Audrey', 'Laëtitia',
  'Gaëlle', 'Noémie', 'Agnès', 'Bérénice', 'Françoise', 'Maëlle', 'Cécile', 'Inès', 'Fatima',
  'Sarah', 'Claire', 'Estelle', 'Jennifer', 'Ophélie', 'Vanessa', 'Coralie', 'Lucie', 'Élise',
  'Bécassine', 'Mélissa', 'Gwénaëlle', 'Raphaëlle', 'Zoé',
];

// prettier-ignore
export const ADULT_MALE: readonly string[] = [
  'François', 'Loïc', 'Noël', 'Jérôme', 'Stéphane', 'Sébastien', 'Frédéric', 'Cédric', 'Grégory',
  'Jérémy', 'Nicolas', 'Julien', 'Thomas', 'Mathieu', 'Guillaume', 'Romain', 'Vincent', 'Benoît',
  'Hervé', 'Gaël', 'Raphaël', 'Anthony', 'David', 'Olivier', 'Laurent', 'Christophe', 'Éric',
  'Yannick', 'Mickaël', 'Aurélien', 'Clément', 'Maxime', 'Antoine', 'Pierre', 'Hugo', 'Mehdi',
  'Karim', 'Joël', 'René', 'Régis', 'Cyrille', 'Félix', 'Gérald', 'Rémi', 'Thibaut', 'Yoann',
];

// prettier-ignore
export const CHILD_FEMALE: readonly string[] = [
  'Zoé', 'Chloé', 'Léa', 'Léna', 'Jade', 'Louise', 'Emma', 'Alice', 'Inès', 'Mia', 'Ambre',
  'Anna', 'Rose', 'Lina', 'Juliette', 'Agathe', 'Éléna', 'Margaux', 'Lola', 'Maëlys', 'Héloïse',
  'Clémence', 'Romane', 'Éva', 'Célia', 'Noémie', 'Manon', 'Camille', 'Sasha', 'Iris', 'Anaïs',
  'Capucine', 'Joséphine', 'Salomé', 'Énora', 'Maëlle', 'Nora', 'Lou', 'Élise', 'Charlotte',
  'Gabrielle', 'Victoire', 'Adèle', 'Mélina', 'Océane', 'Aloïs', 'Ninon', 'Thaïs', 'Zélie', 'Bérénice',
];

// prettier-ignore
export const CHILD_MALE: readonly string[] = [
  'Loïc', 'Noël', 'Tom', 'Léo', 'Gabriel', 'Raphaël', 'Louis', 'Arthur', 'Jules', 'Maël', 'Adam',
  'Lucas', 'Hugo', 'Noé', 'Nathan', 'Éthan', 'Timéo', 'Théo', 'Paul', 'Sacha', 'Gaspard', 'Victor',
  'Aaron', 'Mathéo', 'Nolan', 'Eliott', 'Axel', 'Clément', 'Martin', 'Valentin', 'Côme', 'Baptiste',
  'Évan', 'Noah', 'Lenny', 'Kylian', 'Titouan', 'Célestin', 'Anatole', 'Joachim', 'Malo', 'Yanis',
  'Ilyès', 'Ethan', 'Léandre', 'Aurèle', 'Émile', 'Marceau', 'Hélios', 'Augustin',
];

// prettier-ignore
export const STREET_KINDS: readonly string[] = [
  'rue', 'rue', 'rue', 'avenue', 'allée', 'impasse', 'chemin', 'boulevard', 'place', 'route',
  'square', 'passage',
];

// prettier-ignore
export const STREET_NAMES: readonly string[] = [
  'des Bécassines', 'de la Libération', 'Jean Jaurès', 'Victor Hugo', 'du Général de Gaulle',
  'Pasteur', 'de la République', 'des Écoles', 'du Château', 'des Tilleuls', 'des Mésanges',
  'des Hirondelles', 'de la Gare', 'du Moulin', 'de la Fontaine', 'Jules Ferry', 'Émile Zola',
  'Gambetta', 'Félix Concaret', 'des Vignes', 'des Peupliers', 'du Port', 'de la Loire',
  'des Mariniers', 'Saint-Exupéry', 'Marie Curie', 'Louise Michel', 'Simone Veil', 'Jean Moulin',
  'des Acacias', 'de l’Église', 'du Stade', 'des Lilas', 'des Coquelicots', 'des Prés',
  'de Bretagne', 'd’Anjou', 'du 8 Mai 1945', 'du 11 Novembre', 'Aristide Briand', 'Paul Bert',
  'des Charmes', 'du Bocage', 'de la Croix Blanche', 'des Ardoisières', 'Clemenceau',
  'François Mitterrand', 'Aimé Césaire', 'des Chênes', 'du Val', 'de la Levée', 'des Saules',
];

export const BUILDINGS: readonly string[] = [
  'Résidence Les Glycines',
  'Résidence Le Clos Fleuri',
  'Bâtiment A',
  'Bâtiment B',
  'Résidence Loire-Océan',
  'Les Terrasses de l’Aubance',
];

/** Neighbouring towns for households living outside the town (tarif extérieur). */
export const OUTSIDE_TOWNS: readonly { city: string; postcode: string }[] = [
  { city: 'Angers', postcode: '49000' },
  { city: 'Rochefort-sur-Loire', postcode: '49190' },
  { city: 'Savennières', postcode: '49170' },
  { city: 'Les Ponts-de-Cé', postcode: '49130' },
  { city: 'Mûrs-Érigné', postcode: '49610' },
  { city: 'Chalonnes-sur-Loire', postcode: '49290' },
  { city: 'Béhuard', postcode: '49170' },
  { city: 'Bouchemaine', postcode: '49080' },
];

export const BIRTH_PLACES: readonly { commune: string; departement: string }[] = [
  { commune: 'Angers', departement: '49' },
  { commune: 'Nantes', departement: '44' },
  { commune: 'Cholet', departement: '49' },
  { commune: 'Saumur', departement: '49' },
  { commune: 'Le Mans', departement: '72' },
  { commune: 'Tours', departement: '37' },
  { commune: 'Rennes', departement: '35' },
  { commune: 'Paris', departement: '75' },
  { commune: 'Laval', departement: '53' },
  { commune: 'Saint-Nazaire', departement: '44' },
];

export const ALLERGIES: readonly string[] = [
  'arachide',
  'fruits à coque',
  'lait de vache',
  'œuf',
  'gluten',
  'kiwi',
  'poisson',
  'crustacés',
  'moutarde',
  'pollen de graminées',
];

export const DOCTORS: readonly string[] = [
  'Dr Hélène Morvan',
  'Dr François Lebreton',
  'Dr Anaïs Guérin',
  'Dr Loïc Pétard',
  'Dr Zoé Ménard',
  'Cabinet médical des Tilleuls',
];
